using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace NasSav.Scraper.Tests;

public sealed class OptionsTests
{
    private static string StartupErrors(params (string, string?)[] config)
    {
        using var scraping = new Scraping(Scraping.Config(config));
        var e = Assert.ThrowsAny<Exception>(() => scraping.Services.GetRequiredService<IStartupValidator>().Validate());
        return e is AggregateException a ? string.Join("\n", a.InnerExceptions.Select(x => x.Message)) : e.Message;
    }

    [Fact]
    public void Nothing_configured_gives_the_peer_sources_with_built_in_rules_and_the_three_metadata_sites()
    {
        using var scraping = new Scraping(new Dictionary<string, string?>());
        scraping.Services.GetRequiredService<IStartupValidator>().Validate();
        Assert.Equal(["MissAV", "Jable", "Memo"], scraping.Sources.ByWeight.Select(s => s.Name));
        Assert.Equal([1000, 800, 600], scraping.Sources.ByWeight.Select(s => s.Weight));
        Assert.Equal(["{scheme}://{domain}/videos/{avid_lower}/"], scraping.Sources.Find("jable")!.PageUrls);
        Assert.Equal(["JavBus", "Busdmm", "Dmmsee"], scraping.Sites.Items.Select(s => s.Name));
        Assert.Equal(["www.javbus.com", "www.busdmm.ink", "www.dmmsee.bond"], scraping.Sites.Items.Select(s => s.Domain));
        Assert.Equal("https://www.javbus.com/", scraping.Sites.Items[0].ImageReferer);
        var options = scraping.Services.GetRequiredService<IOptions<ScraperOptions>>().Value;
        Assert.Contains("高畫質", options.EffectiveDroppedGenres);
        Assert.Equal(4, options.ConcurrentMessageLimit);
    }

    [Fact]
    public void Nassav_map_forms_are_read_with_built_in_rules_and_the_peer_order()
    {
        using var scraping = new Scraping(new Dictionary<string, string?>
        {
            ["Source:memo:domain"] = "memojav.org",
            ["Source:memo:weight"] = "900",
            ["Source:missav:domain"] = "missav.ws",
            ["Source:missav:weight"] = "100",
            ["Source:jable:domain"] = "jable.tv",
            ["Source:jable:weight"] = "0",
            ["Scraper:javbus:domain"] = "www.javbus.org",
            ["Scraper:dmmsee:domain"] = "www.dmmsee.zone",
            ["Proxy:Enable"] = "true",
            ["Proxy:url"] = "http://127.0.0.1:7890",
        });
        scraping.Services.GetRequiredService<IStartupValidator>().Validate();
        Assert.Equal(["MissAV", "Jable", "Memo"], scraping.Sources.Items.Select(s => s.Name));
        Assert.Equal(["Memo", "MissAV"], scraping.Sources.ByWeight.Select(s => s.Name));
        Assert.Equal("missav.ws", scraping.Sources.Find("MISSAV")!.Domain);
        Assert.True(scraping.Sources.Find("memo")!.VerifyM3u8);
        Assert.Null(scraping.Sources.Find("jable")); // weight 0 is off
        Assert.Equal(["JavBus", "Dmmsee"], scraping.Sites.Items.Select(s => s.Name));
        Assert.Equal("www.javbus.org", scraping.Sites.Items[0].Domain);
        Assert.Equal("http://127.0.0.1:7890", scraping.Services.GetRequiredService<IOptions<ScraperOptions>>().Value.Proxy);
    }

    [Fact]
    public void Bad_configuration_fails_at_start_naming_each_key()
    {
        var errors = StartupErrors(
            ("Scraper:TimeoutSeconds", "0"),
            ("Sources:0:Name", "Broken"), ("Sources:0:Weight", "5"), ("Sources:0:Domain", "x.test"),
            ("Sources:0:PageUrls:0", "{scheme}://{domain}/{code}"),
            ("Sources:0:M3u8:Regex", "(unclosed"),
            ("Sources:0:Title:Transforms:0", "shout"),
            ("Sources:1:Name", "NoRules"), ("Sources:1:Weight", "5"), ("Sources:1:Domain", "y.test"), ("Sources:1:PageUrls:0", "{scheme}://{domain}/{avid}"),
            ("Sources:2:Name", "BadWeight"), ("Sources:2:Weight", "heavy"),
            ("MetadataSites:0:Name", "Odd"), ("MetadataSites:0:Domain", "z.test"), ("MetadataSites:0:Profile", "javdb"),
            ("MetadataSites:1:Name", "Bare"), ("MetadataSites:1:Domain", "w.test"), ("MetadataSites:1:Profile", "none"));
        Assert.Contains("Scraper:TimeoutSeconds", errors);
        Assert.Contains("Sources:0:PageUrls:0: unknown placeholder {code}", errors);
        Assert.Contains("Sources:0:M3u8:Regex '(unclosed'", errors);
        Assert.Contains("Sources:0:Title:Transforms:0: unknown transform 'shout'", errors);
        Assert.Contains("Sources:1:M3u8 is required", errors);
        Assert.Contains("Sources:2", errors);
        Assert.Contains("MetadataSites:0:Profile 'javdb' is unknown", errors);
        Assert.Contains("MetadataSites:1:Rules:Title is required", errors);
        Assert.Contains("MetadataSites:1:Rules:PageAvid is required", errors);
    }

    [Fact]
    public void Configured_lists_replace_the_defaults_instead_of_adding_to_them()
    {
        using var scraping = new Scraping(Scraping.Config(("Scraper:DroppedGenres:0", "4K"), ("Scraper:PlaceholderAvatarUrls:0", "none.png")));
        var options = scraping.Services.GetRequiredService<IOptions<ScraperOptions>>().Value;
        Assert.Equal(["4K"], options.EffectiveDroppedGenres);
        Assert.Equal(["none.png"], options.EffectivePlaceholderAvatarUrls);
    }
}
