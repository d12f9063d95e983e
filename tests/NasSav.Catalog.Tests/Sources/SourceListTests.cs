using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using NasSav.Catalog.Sources;
using NasSav.Catalog.Tests.Support;

namespace NasSav.Catalog.Tests.Sources;

public sealed class SourceListTests
{
    [Theory, BothDatabases]
    public async Task Unconfigured_sources_are_the_peer_defaults_in_class_order(DbKind kind)
    {
        await using var app = await CatalogApp.StartAsync(kind);
        var answer = (await app.CreateClient().ApiGetAsync("/source/list")).Is(200);
        Assert.Equal("""["MissAV","Jable","Memo"]""", answer.Data.GetRawText());
    }

    [Fact]
    public async Task The_list_form_keeps_its_order_and_drops_zero_weights()
    {
        await using var app = await CatalogApp.StartAsync(DbKind.Sqlite, new Dictionary<string, string?>
        {
            ["Sources:0:Name"] = "Jable", ["Sources:0:Domain"] = "jable.tv", ["Sources:0:Weight"] = "800",
            ["Sources:1:Name"] = "Demo", ["Sources:1:Domain"] = "localhost:5080", ["Sources:1:Weight"] = "5",
            ["Sources:2:Name"] = "MissAV", ["Sources:2:Domain"] = "missav.ai", ["Sources:2:Weight"] = "0",
        });
        Assert.Equal("""["Jable","Demo"]""", (await app.CreateClient().ApiGetAsync("/source/list")).Is(200).Data.GetRawText());
    }

    [Fact]
    public void The_nassav_yaml_map_form_uses_display_names_and_class_order()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Source:memo:domain"] = "memojav.com", ["Source:memo:weight"] = "600",
            ["Source:jable:domain"] = "jable.tv", ["Source:jable:weight"] = "0",
            ["Source:missav:domain"] = "missav.ws", ["Source:missav:weight"] = "1000",
            ["Source:other:domain"] = "other.example", ["Source:other:weight"] = "10",
        }).Build();
        var options = new SourcesOptions();
        new SourcesOptionsSetup(configuration).Configure(options);
        Assert.Equal(["MissAV", "Jable", "Memo", "other"], options.Items.Select(s => s.Name));
        Assert.Equal("missav.ws", options.Items[0].Domain);

        var registry = new SourceRegistry(Options.Create(options));
        Assert.Equal(["MissAV", "Memo", "other"], registry.DisplayNames);
        Assert.Equal("MissAV", registry.Find("MISSAV")?.Name);
        Assert.Null(registry.Find("jable")); // weight 0: not registered
    }

    [Fact]
    public void A_bad_weight_fails_naming_the_key()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Source:missav:domain"] = "missav.ai", ["Source:missav:weight"] = "lots",
        }).Build();
        var error = Assert.Throws<OptionsValidationException>(() => new SourcesOptionsSetup(configuration).Configure(new SourcesOptions()));
        Assert.Contains("Source:missav:Weight", error.Message);
    }
}
