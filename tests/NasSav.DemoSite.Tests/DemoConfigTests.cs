using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using NasSav.DemoSite.Catalog;
using NasSav.Testing;
using YamlDotNet.RepresentationModel;

namespace NasSav.DemoSite.Tests;

/// <summary>
/// demo-config.yaml follows docs/scraper-config.md and its rules, applied here the way that document
/// defines them (selector, attribute, regex with the named group, transforms, template, relative URLs
/// resolved against the page), find the stream, title and cover on the demo site's pages, and find
/// nothing on pages they are not for.
/// </summary>
[Collection(SiteCollection.Name)]
public sealed class DemoConfigTests(DemoSiteFixture site)
{
    private const string ConfiguredDomain = "127.0.0.1:5380";
    private static readonly Dictionary<string, string> Config = LoadYaml(Path.Combine(RepoPaths.Root, "tools", "NasSav.DemoSite", "demo-config.yaml"));

    [Fact]
    public void Two_sources_with_different_weights_one_metadata_site_and_demo_scraper_settings()
    {
        Assert.Equal("1000", Config["Sources:0:Weight"]);
        Assert.Equal("800", Config["Sources:1:Weight"]);
        Assert.False(Config.ContainsKey("Sources:2:Name"));
        foreach (var prefix in new[] { "Sources:0", "Sources:1", "MetadataSites:0" })
        {
            Assert.Equal(ConfiguredDomain, Config[$"{prefix}:Domain"]);
            Assert.Equal("http", Config[$"{prefix}:Scheme"]);
        }
        Assert.Equal("javbus", Config["MetadataSites:0:Profile"]);
        Assert.False(Config.ContainsKey("MetadataSites:1:Name"));
        Assert.Equal("0", Config["Scraper:MinIntervalMs"]);
        Assert.Contains($"http://{ConfiguredDomain}{DemoActor.PlaceholderAvatarPath}",
            Config.Where(kv => kv.Key.StartsWith("Scraper:PlaceholderAvatarUrls:", StringComparison.Ordinal)).Select(kv => kv.Value));
    }

    [Theory]
    [InlineData(0, "DEMO-001")]
    [InlineData(0, "DEMO-003")]   // AES
    [InlineData(0, "DEMO-005")]   // master
    [InlineData(1, "DEMO-001")]   // odd: the second page URL
    [InlineData(1, "DEMO-002")]   // even: the first page URL
    [InlineData(1, "DEMO-FB-404")]
    public async Task Source_rules_find_stream_title_and_cover(int source, string avid)
    {
        var t = site.Title(avid);
        var (page, html) = await FirstPageAsync($"Sources:{source}", t);

        var m3u8 = Apply($"Sources:{source}:M3u8", html, page);
        Assert.NotNull(m3u8);
        Assert.StartsWith("#EXTM3U", await site.Http.GetStringAsync(m3u8));
        Assert.Equal(source == 0 ? t.TitleJa : t.TitleZh, Apply($"Sources:{source}:Title", html, page, isUrl: false));
        var cover = Apply($"Sources:{source}:Cover", html, page);
        Assert.NotNull(cover);
        using var image = await site.Http.GetAsync(cover);
        Assert.Equal("image/jpeg", image.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData(0, "/v/demo-junk")]
    [InlineData(1, "/cn/demo-junk")]
    [InlineData(0, "/cn/demo-001")]   // the other source's layout
    [InlineData(1, "/v/demo-001")]
    [InlineData(0, "/bus/DEMO-001")]
    public async Task Stream_rule_finds_nothing_on_pages_it_is_not_for(int source, string path)
    {
        var html = await site.Http.GetStringAsync(path);
        var page = new Uri(site.BaseUrl + path);
        Assert.Null(Apply($"Sources:{source}:M3u8", html, page));
        if (path.Contains("junk")) Assert.Null(Apply($"Sources:{source}:Title", html, page, isUrl: false));
    }

    [Fact]
    public async Task Metadata_page_url_reaches_the_JavBus_style_page()
    {
        var url = Expand(Config["MetadataSites:0:PageUrl"], site.Title("DEMO-001"), "MetadataSites:0");
        var html = await site.Http.GetStringAsync(url);
        Assert.Contains("<span class=\"header\">識別碼:</span>", html);
        Assert.Contains("(DEMO-001)", html);
    }

    private async Task<(Uri Page, string Html)> FirstPageAsync(string source, DemoTitle t)
    {
        for (var i = 0; Config.TryGetValue($"{source}:PageUrls:{i}", out var template); i++)
        {
            var url = new Uri(Expand(template, t, source));
            using var response = await site.Http.GetAsync(url);
            if (response.StatusCode == HttpStatusCode.OK) return (url, await response.Content.ReadAsStringAsync());
        }
        throw new Xunit.Sdk.XunitException($"no page URL of {source} answered 200 for {t.Avid}");
    }

    /// <summary>The placeholders of docs/scraper-config.md; the configured domain is swapped for the test site's port.</summary>
    private string Expand(string template, DemoTitle t, string prefix)
    {
        Assert.Equal(ConfiguredDomain, Config[$"{prefix}:Domain"]);
        return template.Replace("{scheme}", Config[$"{prefix}:Scheme"]).Replace("{domain}", new Uri(site.BaseUrl).Authority)
            .Replace("{avid_lower}", t.AvidLower).Replace("{avid}", t.Avid);
    }

    /// <summary>One extraction rule as docs/scraper-config.md defines it; null = no match.</summary>
    private static string? Apply(string rule, string html, Uri page, bool isUrl = true)
    {
        Config.TryGetValue($"{rule}:Selector", out var selector);
        Config.TryGetValue($"{rule}:Attribute", out var attribute);
        Config.TryGetValue($"{rule}:Regex", out var pattern);
        Config.TryGetValue($"{rule}:Template", out var template);
        var transforms = Config.Where(kv => kv.Key.StartsWith($"{rule}:Transforms:", StringComparison.Ordinal))
            .OrderBy(kv => int.Parse(kv.Key[(kv.Key.LastIndexOf(':') + 1)..])).Select(kv => kv.Value).ToList();

        var value = html;
        if (selector is not null)
        {
            var element = new HtmlParser().ParseDocument(html).QuerySelector(selector);
            if (element is null) return null;
            value = attribute is null ? element.TextContent.Trim() : element.GetAttribute(attribute);
            if (value is null) return null;
        }
        if (pattern is not null)
        {
            var regex = new Regex(pattern);
            var match = regex.Match(value);
            if (!match.Success) return null;
            var groups = regex.GetGroupNames().Where(n => !int.TryParse(n, out _))
                .ToDictionary(n => n, n => Transform(match.Groups[n].Value, transforms));
            if (template is not null)
                value = groups.Aggregate(template, (s, g) => s.Replace("{" + g.Key + "}", g.Value));
            else
                value = groups.TryGetValue("value", out var v) ? v : Transform(match.Groups[1].Value, transforms);
        }
        return isUrl ? new Uri(page, value).ToString() : value;
    }

    private static string Transform(string value, List<string> transforms)
    {
        var list = new List<string> { value };
        foreach (var t in transforms)
        {
            if (t.StartsWith("split:", StringComparison.Ordinal)) list = [.. string.Join("", list).Split(t["split:".Length..])];
            else if (t == "reverse") list.Reverse();
            else if (t.StartsWith("join:", StringComparison.Ordinal)) list = [string.Join(t["join:".Length..], list)];
            else throw new Xunit.Sdk.XunitException($"transform '{t}' is not handled by this test");
        }
        return string.Join("", list);
    }

    /// <summary>The YAML as configuration keys ("Sources:0:M3u8:Regex"), like the hosts' YAML provider.</summary>
    private static Dictionary<string, string> LoadYaml(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path)) stream.Load(reader);
        var data = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        void Flatten(YamlNode node, string? prefix)
        {
            switch (node)
            {
                case YamlMappingNode map:
                    foreach (var (k, v) in map.Children) Flatten(v, prefix is null ? ((YamlScalarNode)k).Value : $"{prefix}:{((YamlScalarNode)k).Value}");
                    break;
                case YamlSequenceNode seq:
                    for (var i = 0; i < seq.Children.Count; i++) Flatten(seq.Children[i], $"{prefix}:{i}");
                    break;
                case YamlScalarNode scalar when prefix is not null:
                    data[prefix] = scalar.Value ?? "";
                    break;
            }
        }
        Flatten(stream.Documents[0].RootNode, null);
        return data;
    }
}
