using System.Net;
using System.Text.RegularExpressions;
using NasSav.DemoSite.Catalog;

namespace NasSav.DemoSite.Tests;

/// <summary>The source and metadata pages carry the markers of reference §4.4-4.5 for an AVID.</summary>
[Collection(SiteCollection.Name)]
public sealed class PageTests(DemoSiteFixture site)
{
    private static readonly Regex Hiragana = new(@"\p{IsHiragana}");
    private static readonly Regex Han = new(@"\p{IsCJKUnifiedIdeographs}");

    [Fact]
    public async Task Jable_like_page_has_og_title_og_image_and_hls_url()
    {
        var t = site.Title("DEMO-001");
        var html = await site.Http.GetStringAsync("/v/demo-001");

        Assert.Contains($"<meta property=\"og:title\" content=\"DEMO-001 {t.TitleJa}\">", html);
        var cover = Regex.Match(html, "<meta property=\"og:image\" content=\"([^\"]+)\"").Groups[1].Value;
        Assert.Equal($"{site.BaseUrl}/contents/videos_screenshots/demo-001/preview.jpg", cover);
        // Jable's exact m3u8 regex (reference §4.4).
        var m3u8 = Regex.Match(html, "var hlsUrl = [\"']([^\"']+)[\"']").Groups[1].Value;
        Assert.Equal($"{site.BaseUrl}/hls/DEMO-001/playlist.m3u8", m3u8);
        Assert.StartsWith("#EXTM3U", await site.Http.GetStringAsync(m3u8));
        Assert.Matches(Hiragana, t.TitleJa);
    }

    [Fact]
    public async Task MissAV_like_page_hides_the_stream_id_in_packed_javascript()
    {
        var t = site.Title("DEMO-002");
        foreach (var path in new[] { "/cn/demo-002-chinese-subtitle", "/cn/demo-002" })
        {
            var html = await site.Http.GetStringAsync(path);
            Assert.Contains($"<meta property=\"og:title\" content=\"DEMO-002 {t.TitleZh}\">", html);
            Assert.Contains($"<meta property=\"og:image\" content=\"{site.BaseUrl}/fourhoi/demo-002/cover-n.jpg\">", html);
            // MissAV's exact uuid regex and join (reference §4.4).
            var words = Regex.Match(html, @"m3u8\|([a-f0-9|]+)\|com\|surrit\|https\|video").Groups[1].Value;
            Assert.Equal(t.Uuid, string.Join('-', words.Split('|').Reverse()));
            Assert.DoesNotContain("hlsUrl", html);
        }
        Assert.Matches(Han, t.TitleZh);
        Assert.DoesNotMatch(Hiragana, t.TitleZh);
        Assert.StartsWith("#EXTM3U", await site.Http.GetStringAsync($"/surrit/{t.Uuid}/playlist.m3u8"));
    }

    [Fact]
    public async Task Subtitle_page_exists_for_even_numbers_only_so_page_urls_are_tried_in_order()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await site.Http.GetAsync("/cn/demo-001-chinese-subtitle")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await site.Http.GetAsync("/cn/demo-001")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await site.Http.GetAsync("/cn/demo-002-chinese-subtitle")).StatusCode);
    }

    [Theory]
    [InlineData("/v/nope-123")]
    [InlineData("/cn/nope-123")]
    [InlineData("/bus/NOPE-123")]
    [InlineData("/v/demo-013")]   // one past Demo:Count=12
    [InlineData("/pics/cover/nope-123_b.jpg")]
    [InlineData("/pics/actress/dm10_a.jpg")]   // the placeholder actor has no avatar of its own
    [InlineData("/hls/NOPE-123/playlist.m3u8")]
    [InlineData("/hls/DEMO-001/../../etc/passwd")]
    [InlineData("/hls/DEMO-001/clip.mp4")]
    public async Task Unknown_things_are_404(string path) =>
        Assert.Equal(HttpStatusCode.NotFound, (await site.Http.GetAsync(path)).StatusCode);

    [Fact]
    public async Task JavBus_like_page_answers_the_reference_regexes()
    {
        var t = site.Title("DEMO-004");
        var html = await site.Http.GetStringAsync("/bus/DEMO-004");

        // The exact extraction of reference §4.5.
        var description = Regex.Match(html, "<meta\\s+name=\"description\"\\s+content=\"([^\"]+)\"").Groups[1].Value;
        Assert.Equal(t.ReleaseDate.ToString("yyyy-MM-dd"), Regex.Match(description, @"【發行日期】(\d{4}-\d{2}-\d{2})").Groups[1].Value);
        Assert.Equal(t.DurationMinutes.ToString(), Regex.Match(description, @"【長度】(\d+)分鐘").Groups[1].Value);
        Assert.Equal(t.TitleJa, Regex.Match(description, @"\(DEMO-004\)(.+?)$").Groups[1].Value);
        Assert.Equal(t.ReleaseDate.ToString("yyyy-MM-dd"), Header(html, @"發行日期:</span>\s*(\d{4}-\d{2}-\d{2})"));
        Assert.Equal(t.DurationMinutes.ToString(), Header(html, @"長度:</span>\s*(\d+)分鐘"));
        Assert.Equal(t.Studio, Header(html, @"製作商:</span>\s*<a[^>]*>([^<]+)</a>"));
        Assert.Equal(t.Label, Header(html, @"發行商:</span>\s*<a[^>]*>([^<]+)</a>"));
        Assert.Equal(t.Series ?? "", Header(html, @"系列:</span>\s*<a[^>]*>([^<]+)</a>"));
        Assert.Equal(t.Director ?? "", Header(html, @"導演:</span>\s*<a[^>]*>([^<]+)</a>"));
        Assert.Equal("DEMO-004", Header(html, @"識別碼:</span>\s*<span[^>]*>([^<]+)</span>"));

        var genres = Regex.Matches(html, "<span class=\"genre\"><label><input[^>]*><a[^>]*>([^<]+)</a></label></span>")
            .Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(t.Genres, genres);
        Assert.Contains(genres, g => Pools.TechnicalGenres.Contains(g));
        Assert.True(genres.Count(g => !Pools.TechnicalGenres.Contains(g)) >= 2);

        var actors = Regex.Matches(html, "<a class=\"avatar-box\"[^>]*>\\s*<div[^>]*>\\s*<img[^>]*src=\"([^\"]+)\"[^>]*title=\"([^\"]+)\"[^>]*>", RegexOptions.Singleline)
            .Select(m => (Src: m.Groups[1].Value, Name: m.Groups[2].Value)).ToList();
        Assert.Equal(t.Actors.Select(a => a.Name), actors.Select(a => a.Name));
        Assert.All(actors, a => Assert.StartsWith("/", a.Src));   // relative, to be resolved against the page
        Assert.Contains(actors, a => a.Src == "/mono/actjpgs/nowprinting.gif");   // 004: the placeholder actor
        // The span text is truncated like JavBus's; only the img title has the full name.
        var truncated = t.Actors.First(a => a.Name.Length > 6).Name;
        Assert.Contains($"<span>{truncated[..6]}</span>", html);

        var cover = Regex.Match(html, "<a[^>]*class=\"bigImage\"[^>]*href=\"([^\"]+)\"").Groups[1].Value;
        Assert.Equal("/pics/cover/demo-004_b.jpg", cover);
    }

    [Fact]
    public void Actor_pool_has_full_width_parentheses_and_one_placeholder()
    {
        Assert.InRange(Pools.Actors.Length, 8, 12);
        Assert.Contains(Pools.Actors, a => a.Name.Contains('（') && a.Name.EndsWith('）'));
        Assert.Single(Pools.Actors, a => a.Placeholder);
    }

    [Fact]
    public async Task Metadata_page_of_the_wrong_switch_is_another_AVIDs_page()
    {
        var html = await site.Http.GetStringAsync("/bus/DEMO-WRONG");
        Assert.Equal("DEMO-001", Header(html, @"識別碼:</span>\s*<span[^>]*>([^<]+)</span>"));
        Assert.Contains("(DEMO-001)", html);
        Assert.DoesNotContain("DEMO-WRONG", html);
        Assert.Equal(await site.Http.GetStringAsync("/bus/DEMO-001"), html);
        // Its sources are fine.
        Assert.Contains("var hlsUrl", await site.Http.GetStringAsync("/v/demo-wrong"));
    }

    [Fact]
    public async Task Index_lists_every_AVID_and_health_answers()
    {
        var index = await site.Http.GetStringAsync("/");
        Assert.All(site.Catalog.Titles, t => Assert.Contains($"<td>{t.Avid}</td>", index));
        Assert.Equal("ok", await site.Http.GetStringAsync("/health"));
    }

    private static string Header(string html, string pattern) =>
        Regex.Match(html, "<span class=\"header\">" + pattern).Groups[1].Value;
}
