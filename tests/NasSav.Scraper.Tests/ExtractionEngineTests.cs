using NasSav.Scraper.Extraction;

namespace NasSav.Scraper.Tests;

public sealed class ExtractionEngineTests
{
    private static PageContext Page(string html, string url = "https://site.test/dir/page.html", string avid = "ABC-123") =>
        new(html, new Uri(url), avid, Templates.Site("https", "site.test", avid));

    private static CompiledRule Rule(ExtractionRule rule)
    {
        var errors = new List<string>();
        var compiled = CompiledRule.Compile(rule, "R", errors);
        Assert.Empty(errors);
        return compiled!;
    }

    [Fact]
    public void Transforms_and_template_build_a_value_from_named_groups()
    {
        var rule = Rule(new ExtractionRule
        {
            Regex = @"id=(?<a>\w+)\|(?<b>[a-z|]+)",
            Transforms = ["split:|", "reverse", "join:-", "upper"],
            Template = "https://cdn.test/{b}/{a}/{avid_lower}.m3u8",
        });
        Assert.Equal("https://cdn.test/Z-Y-X/Q/abc-123.m3u8", rule.First(Page("<script>id=q|x|y|z</script>")));
        Assert.Null(rule.First(Page("<script>nothing</script>")));
    }

    [Fact]
    public void Template_with_a_group_that_did_not_match_gives_nothing()
    {
        var rule = Rule(new ExtractionRule { Regex = @"a=(?<a>\d+)(?:,b=(?<b>\d+))?", Template = "{a}-{b}" });
        Assert.Equal("1-2", rule.First(Page("a=1,b=2")));
        Assert.Null(rule.First(Page("a=1")));
    }

    [Fact]
    public void Multiple_with_a_selector_is_aligned_to_elements()
    {
        var html = "<ul><li><img src='a.jpg' title='A'></li><li><img src='b.jpg'></li><li><img title='C' src='/c.jpg'></li></ul>";
        var titles = Rule(new ExtractionRule { Selector = "li img", Attribute = "title", Multiple = true }).All(Page(html));
        Assert.Equal(["A", null, "C"], titles);
        var first = Rule(new ExtractionRule { Selector = "li img", Attribute = "title" });
        Assert.Equal("A", first.First(Page(html)));
    }

    [Fact]
    public void Multiple_regex_on_the_page_gives_every_match_html_decoded()
    {
        var rule = Rule(new ExtractionRule { Regex = "<b>(?<value>[^<]+)</b>", Multiple = true });
        Assert.Equal(["x & y", "z"], rule.All(Page("<b>x &amp; y</b><i>no</i><b>z</b>")));
        Assert.Empty(rule.All(Page("<i>none</i>")));
    }

    [Fact]
    public void Relative_urls_resolve_against_the_page_and_non_http_values_are_dropped()
    {
        var page = Page("<a class='big' href='../img/c.jpg'></a>");
        Assert.Equal("https://site.test/img/c.jpg", page.ResolveUrl("../img/c.jpg"));
        Assert.Equal("https://cdn.test/x.jpg", page.ResolveUrl("//cdn.test/x.jpg"));
        Assert.Null(page.ResolveUrl("javascript:alert(1)"));
        Assert.Null(page.ResolveUrl("  "));
    }

    [Fact]
    public void Or_rules_are_tried_when_the_first_finds_nothing()
    {
        var rule = Rule(new ExtractionRule
        {
            Selector = "h1",
            Or = [new ExtractionRule { Selector = "title", Transforms = ["strip-avid"] }],
        });
        Assert.Equal("Main", rule.First(Page("<h1>Main</h1><title>ABC-123 Other</title>")));
        Assert.Equal("Other", rule.First(Page("<title>[ABC-123] Other</title>")));
        Assert.Null(rule.First(Page("<p>x</p>")));
    }

    [Theory]
    [InlineData("ABC-123 Title", "Title")]
    [InlineData("【abc-123】 Title - more", "Title - more")]
    [InlineData("Title (ABC-123)", "Title")]
    [InlineData("Title only", "Title only")]
    public void Strip_avid_removes_the_code_and_its_separators(string input, string expected) =>
        Assert.Equal(expected, Transforms.StripAvid(input, "ABC-123"));

    [Fact]
    public void Bad_rules_are_reported_with_their_key()
    {
        var errors = new List<string>();
        Assert.Null(CompiledRule.Compile(new ExtractionRule { Regex = "(unclosed", Transforms = ["shout"], Selector = "a[" }, "Sources:0:M3u8", errors));
        Assert.Contains(errors, e => e.StartsWith("Sources:0:M3u8:Regex", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Sources:0:M3u8:Transforms:0", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Sources:0:M3u8:Selector", StringComparison.Ordinal));
    }

    [Fact]
    public void Master_playlist_resolves_to_the_highest_bandwidth_variant_with_its_query()
    {
        const string master = """
            #EXTM3U
            #EXT-X-VERSION:3
            #EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=842x480
            480p/video.m3u8?t=1
            #EXT-X-STREAM-INF:BANDWIDTH=5000000,RESOLUTION=1920x1080,CODECS="avc1.640028,mp4a.40.2"
            1080p/video.m3u8?t=2

            #EXT-X-STREAM-INF:BANDWIDTH=2500000,RESOLUTION=1280x720
            https://other.test/720p.m3u8
            """;
        var best = Playlist.Best(master, new Uri("https://cdn.test/abc/playlist.m3u8?k=9"));
        Assert.NotNull(best);
        Assert.Equal("https://cdn.test/abc/1080p/video.m3u8?t=2", best.Uri);
        Assert.Equal(5000000, best.Bandwidth);
        Assert.True(Playlist.IsMaster(master));
        Assert.False(Playlist.IsMaster("#EXTM3U\n#EXTINF:4.0,\nseg0.ts\n"));
        Assert.False(Playlist.IsPlaylist("<html></html>"));
    }
}
