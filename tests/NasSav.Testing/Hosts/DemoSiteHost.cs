namespace NasSav.Testing;

/// <summary>The offline demo site (tools/NasSav.DemoSite) as a process, and what a NasSav host needs to use it.</summary>
public static class DemoSiteHost
{
    /// <summary>Starts the demo site on <paramref name="port"/>; its generated media is cached for the next runs under the run folder.</summary>
    public static HostProcess Start(int port, IReadOnlyDictionary<string, string?>? settings = null) =>
        HostProcess.Start("demo-site", HostProcess.BuiltDll("tools/NasSav.DemoSite"), port,
            new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
            {
                ["Demo:CacheDir"] = Path.Combine(HostProcess.RunDir, "demo-site-cache"),
            });

    /// <summary>tools/NasSav.DemoSite/demo-config.yaml pointed at the demo site on <paramref name="port"/>: its sources, metadata site and placeholder avatar.</summary>
    public static Dictionary<string, string?> ClientSettings(int port)
    {
        var demo = $"127.0.0.1:{port}";
        return new Dictionary<string, string?>
        {
            ["NASSAV_CONFIG"] = Path.Combine(RepoPaths.Root, "tools", "NasSav.DemoSite", "demo-config.yaml"),
            ["Sources:0:Domain"] = demo,
            ["Sources:1:Domain"] = demo,
            ["MetadataSites:0:Domain"] = demo,
            ["Scraper:PlaceholderAvatarUrls:1"] = $"http://{demo}/mono/actjpgs/nowprinting.gif",
        };
    }
}
