using NasSav.Contracts.Scraping;
using NasSav.Scraper.Extraction;
using NasSav.Scraper.MetadataSites;

namespace NasSav.Scraper.Tests;

/// <summary>The javbus profile on saved pages; each field also on a page where it must not match.</summary>
public sealed class MetadataParserTests
{
    private static readonly ScraperOptions Options = new();

    private static MetadataSite JavBus()
    {
        var errors = new List<string>();
        var site = MetadataSitesSetup.Compile("test", new MetadataSiteDefinition { Name = "JavBus", Domain = "www.javbus.com" }, errors);
        Assert.Empty(errors);
        return site!;
    }

    private static (MetadataSite Site, PageContext Page) Load(string file, string avid = "ABC-123")
    {
        var site = JavBus();
        return (site, new PageContext(SourceParserTests.Saved(file), new Uri($"https://www.javbus.com/{avid}"), avid, site.Variables(avid)));
    }

    [Fact]
    public void Full_page_gives_every_field()
    {
        var (site, page) = Load("javbus-ABC-123.html");
        var result = MetadataPageParser.Parse(site, page, Options);
        Assert.Equal(SourceAttempt.Ok, result.Outcome);
        Assert.Equal("雨夜的约定 全集", result.Title);
        Assert.Equal("2023-04-07", result.ReleaseDate);
        Assert.Equal(120, result.DurationMinutes);
        Assert.Equal("Studio Alpha", result.Studio);
        Assert.Equal("Label Beta & Co", result.Label);
        Assert.Equal("Rainy Nights", result.Series);
        Assert.Equal("山田 太郎", result.Director);
        Assert.Equal("https://www.javbus.com/pics/cover/abc_b.jpg", result.CoverUrl);
    }

    [Fact]
    public void Technical_genres_are_dropped_and_the_rest_kept_in_page_order()
    {
        var (site, page) = Load("javbus-ABC-123.html");
        Assert.Equal(["劇情", "戀愛"], MetadataPageParser.Parse(site, page, Options).Genres);
        var custom = new ScraperOptions { DroppedGenres = ["劇情"] };
        Assert.Equal(["高畫質", "單體作品", "戀愛", "フルハイビジョン(FHD)"], MetadataPageParser.Parse(site, page, custom).Genres);
    }

    [Fact]
    public void Actor_names_come_from_the_image_title_avatars_are_absolute_and_placeholders_are_null()
    {
        var (site, page) = Load("javbus-ABC-123.html");
        var actors = MetadataPageParser.Parse(site, page, Options).Actors;
        Assert.Equal(["めぐり（藤浦めぐ）", "佐藤花子", "鈴木一美"], actors.Select(a => a.Name));
        Assert.Equal("https://www.javbus.com/pics/actress/a1_a.jpg", actors[0].AvatarUrl);
        Assert.Null(actors[1].AvatarUrl);
        Assert.Equal("https://www.javbus.com/pics/actress/c3_a.jpg", actors[2].AvatarUrl);
        Assert.All(actors, a => Assert.Null(a.AvatarFile));
    }

    [Fact]
    public void Page_of_another_avid_is_the_wrong_page_not_an_empty_success()
    {
        var (site, page) = Load("javbus-XYZ-999.html");
        var result = MetadataPageParser.Parse(site, page, Options);
        Assert.Equal(SourceAttempt.WrongPage, result.Outcome);
        Assert.Contains("XYZ-999", result.Detail);
        Assert.Equal("", result.Title);
    }

    [Fact]
    public void Search_page_naming_no_avid_is_a_parse_failure()
    {
        var (site, page) = Load("javbus-search-empty.html");
        Assert.Equal(SourceAttempt.ParseFailed, MetadataPageParser.Parse(site, page, Options).Outcome);
        Assert.Null(site.Rules.PageAvid.First(page));
        Assert.Null(site.Rules.Title.First(page) is { } t && t.Contains("ABC") ? t : null);
    }

    [Fact]
    public void Bare_page_falls_back_to_the_title_tag_and_no_other_rule_matches()
    {
        var (site, page) = Load("javbus-bare-ABC-123.html");
        var result = MetadataPageParser.Parse(site, page, Options);
        Assert.Equal(SourceAttempt.Ok, result.Outcome);
        Assert.Equal("只有标题的页面", result.Title);
        Assert.Equal("", result.ReleaseDate);        // 0000-00-00 is not a date
        Assert.Null(result.DurationMinutes);          // "分鐘" without a number
        Assert.Null(result.Studio);                   // header without a link
        Assert.Null(result.Label);
        Assert.Null(result.Series);
        Assert.Null(result.Director);
        Assert.Empty(result.Genres);
        Assert.Empty(result.Actors);
        Assert.Null(result.CoverUrl);                 // no a.bigImage
        Assert.Empty(site.Rules.ActorAvatars!.All(page));
    }

    [Fact]
    public void Description_title_is_taken_only_after_the_requested_avid()
    {
        var (site, page) = Load("javbus-ABC-123.html", "ABC-12");
        // The description says (ABC-123): the {avid} rule must not read it as ABC-12's title.
        Assert.Equal(SourceAttempt.WrongPage, MetadataPageParser.Parse(site, page, Options).Outcome);
    }

    [Fact]
    public void Page_avid_falls_back_to_the_description_when_the_header_is_missing()
    {
        var site = JavBus();
        var html = """<html><head><meta name="description" content="【發行日期】2020-02-02，(ABC-123)Only description"></head><body></body></html>""";
        var page = new PageContext(html, new Uri("https://www.javbus.com/ABC-123"), "ABC-123", site.Variables("ABC-123"));
        var result = MetadataPageParser.Parse(site, page, Options);
        Assert.Equal(SourceAttempt.Ok, result.Outcome);
        Assert.Equal("Only description", result.Title);
        Assert.Equal("2020-02-02", result.ReleaseDate);
    }

    [Theory]
    [InlineData("https://pics.dmm.co.jp/mono/actjpgs/nowprinting.gif", true)]
    [InlineData("https://www.javbus.com/imgs/actress/nowprinting.gif", true)]
    [InlineData("https://www.javbus.com/pics/actress/a1_a.jpg", false)]
    public void Placeholder_avatars_are_recognised(string url, bool placeholder) =>
        Assert.Equal(placeholder, MetadataPageParser.IsPlaceholder(url, Options.EffectivePlaceholderAvatarUrls));
}
