using NasSav.Contracts.Scraping;
using NasSav.Scraper.Extraction;
using NasSav.Scraper.Sources;

namespace NasSav.Scraper.Tests;

/// <summary>The built-in MissAV, Jable and Memo rule sets on saved pages; each rule also where it must not match.</summary>
public sealed class SourceParserTests
{
    internal static string Saved(string file) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Pages", file));

    private static ScraperSource BuiltIn(string name)
    {
        var errors = new List<string>();
        var source = SourcesSetup.Compile("test", BuiltInSources.For(name)!, 0, errors);
        Assert.Empty(errors);
        return source!;
    }

    private static PageContext Page(ScraperSource source, string file, string url, string avid = "ABC-123") =>
        new(Saved(file), new Uri(url), avid, source.Variables(avid));

    [Fact]
    public void MissAV_page_gives_the_surrit_playlist_from_the_packed_word_list_reversed()
    {
        var missav = BuiltIn("missav");
        var result = SourcePageParser.Parse(missav, Page(missav, "missav-ABC-123.html", "https://missav.ai/cn/abc-123"));
        Assert.Equal(SourceAttempt.Ok, result.Outcome);
        Assert.Equal("https://surrit.com/1a2b3c4d-2b3c-3c4d-4e5f-9a8b7c6d5e4f/playlist.m3u8", result.M3u8);
        Assert.Equal("夏日的午后", result.Title);
        Assert.Equal("https://fourhoi.com/abc-123/cover-n.jpg", result.Cover);
    }

    [Fact]
    public void MissAV_page_without_the_word_list_is_a_parse_failure()
    {
        var missav = BuiltIn("missav");
        var result = SourcePageParser.Parse(missav, Page(missav, "missav-no-uuid.html", "https://missav.ai/cn/abc-123"));
        Assert.Equal(SourceAttempt.ParseFailed, result.Outcome);
        Assert.Null(result.M3u8);
    }

    [Fact]
    public void MissAV_title_and_page_avid_need_the_code_in_og_title_and_cover_needs_og_image()
    {
        var missav = BuiltIn("missav");
        var page = Page(missav, "missav-no-code-title.html", "https://missav.ai/cn/abc-123");
        Assert.Null(missav.Title!.First(page));
        Assert.Null(missav.PageAvid!.First(page));
        Assert.Null(missav.Cover!.First(page));
        // No code means no verdict on the page: the stream is still taken.
        var result = SourcePageParser.Parse(missav, page);
        Assert.Equal(SourceAttempt.Ok, result.Outcome);
        Assert.Null(result.Title);
    }

    [Fact]
    public void MissAV_page_of_another_avid_is_the_wrong_page()
    {
        var missav = BuiltIn("missav");
        var result = SourcePageParser.Parse(missav, Page(missav, "missav-ABC-123.html", "https://missav.ai/cn/xyz-999", "XYZ-999"));
        Assert.Equal(SourceAttempt.WrongPage, result.Outcome);
    }

    [Fact]
    public void Jable_page_gives_hlsUrl_with_its_query_title_without_code_and_absolute_cover()
    {
        var jable = BuiltIn("jable");
        var result = SourcePageParser.Parse(jable, Page(jable, "jable-ABC-123.html", "https://jable.tv/videos/abc-123/"));
        Assert.Equal(SourceAttempt.Ok, result.Outcome);
        Assert.Equal("https://asf-doc.mushroomtrack.com/hls/AbCdEf/abc-123/abc-123.m3u8?token=xyz&exp=1", result.M3u8);
        Assert.Equal("雨夜的约定", result.Title);
        Assert.Equal("https://jable.tv/contents/videos_screenshots/12000/12345/preview.jpg", result.Cover);
    }

    [Fact]
    public void Jable_page_without_hlsUrl_fails_to_parse_and_its_title_falls_back_to_h4()
    {
        var jable = BuiltIn("jable");
        var page = Page(jable, "jable-no-hls.html", "https://jable.tv/videos/abc-123/");
        Assert.Equal(SourceAttempt.ParseFailed, SourcePageParser.Parse(jable, page).Outcome);
        Assert.Null(jable.M3u8.First(page));
        Assert.Equal("雨夜的约定", jable.Title!.First(page));
        Assert.Equal("ABC-123", jable.PageAvid!.First(page));
        Assert.Null(jable.Cover!.First(page));
    }

    [Fact]
    public void Jable_title_rule_finds_nothing_on_an_unrelated_page()
    {
        var jable = BuiltIn("jable");
        var page = Page(jable, "javbus-search-empty.html", "https://jable.tv/videos/abc-123/");
        Assert.Null(jable.Title!.First(page));
        Assert.Null(jable.PageAvid!.First(page));
    }

    [Fact]
    public void Memo_builds_the_stream_url_from_the_requested_avid_when_the_page_names_it()
    {
        var memo = BuiltIn("memo");
        var result = SourcePageParser.Parse(memo, Page(memo, "memo-ABC-123.html", "https://memojav.com/video/ABC-123"));
        Assert.Equal(SourceAttempt.Ok, result.Outcome);
        Assert.Equal("https://video10.memojav.net/stream/ABC-123/master.m3u8", result.M3u8);
        Assert.Equal("月光下的约定", result.Title);
        Assert.True(memo.VerifyM3u8);
    }

    [Fact]
    public void Memo_page_of_another_avid_gives_no_stream_and_is_the_wrong_page()
    {
        var memo = BuiltIn("memo");
        var page = Page(memo, "memo-XYZ-999.html", "https://memojav.com/video/ABC-123");
        Assert.Null(memo.M3u8.First(page));
        Assert.Equal(SourceAttempt.WrongPage, SourcePageParser.Parse(memo, page).Outcome);
    }

    [Fact]
    public void Memo_page_without_og_title_gives_no_stream_url()
    {
        var memo = BuiltIn("memo");
        var page = Page(memo, "javbus-search-empty.html", "https://memojav.com/video/ABC-123");
        Assert.Null(memo.M3u8.First(page));
        Assert.Null(memo.Title!.First(page));
        Assert.Equal(SourceAttempt.ParseFailed, SourcePageParser.Parse(memo, page).Outcome);
    }
}
