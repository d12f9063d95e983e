namespace NasSav.Testing;

/// <summary>
/// The demo site and the standalone host configured by tools/NasSav.DemoSite/demo-config.yaml against it (one
/// process, SQLite, in-memory bus), each a real process; tests add the site's and the host's own settings.
/// </summary>
public sealed class StandaloneDemo : IAsyncDisposable
{
    private StandaloneDemo(HostProcess site, HostProcess standalone, string dataRoot)
    {
        Site = site;
        Standalone = standalone;
        DataRoot = dataRoot;
    }

    /// <summary>The host's Data:Root (database and media), removed on dispose.</summary>
    public string DataRoot { get; }

    public HostProcess Site { get; }
    public HostProcess Standalone { get; }
    public Uri Api(string path) => new(Standalone.BaseUri, "nassav/api/" + path);

    /// <param name="demoPace">The demo site's own defaults (what tools/demo.sh shows: a 2-minute stream that takes seconds
    /// to download); otherwise an 8 s clip without segment delay, unless <paramref name="siteSettings"/> says otherwise.</param>
    public static async Task<StandaloneDemo> StartAsync(HttpClient http, string name,
        IDictionary<string, string?>? siteSettings = null, IDictionary<string, string?>? hostSettings = null, bool demoPace = false)
    {
        var dataRoot = Directory.CreateTempSubdirectory($"nassav-{name}-").FullName;
        var port = HostProcess.FreePort();
        var site = new Dictionary<string, string?>();
        if (!demoPace)
        {
            site["Demo:ClipSeconds"] = "8";
            site["Demo:SegmentDelayMs"] = "0";
        }
        foreach (var (k, v) in siteSettings ?? new Dictionary<string, string?>()) site[k] = v;
        site["Demo:CacheDir"] = Path.Combine(HostProcess.RunDir, "demo-site-cache");
        var siteProcess = HostProcess.Start("demo-site", HostProcess.BuiltDll("tools/NasSav.DemoSite"), port, site);
        await siteProcess.WaitReadyAsync(http, HostProcess.ReadyTimeout, "health");
        var demo = $"127.0.0.1:{port}";
        var settings = new Dictionary<string, string?>(hostSettings ?? new Dictionary<string, string?>())
        {
            ["NASSAV_CONFIG"] = Path.Combine(RepoPaths.Root, "tools", "NasSav.DemoSite", "demo-config.yaml"),
            ["Sources:0:Domain"] = demo,
            ["Sources:1:Domain"] = demo,
            ["MetadataSites:0:Domain"] = demo,
            ["Scraper:PlaceholderAvatarUrls:1"] = $"http://{demo}/mono/actjpgs/nowprinting.gif",
            ["Data:Root"] = dataRoot,
        };
        var standalone = HostProcess.Start("standalone", HostProcess.BuiltDll("tools/NasSav.Standalone"), HostProcess.FreePort(), settings);
        await standalone.WaitReadyAsync(http, HostProcess.ReadyTimeout);
        return new StandaloneDemo(siteProcess, standalone, dataRoot);
    }

    public async ValueTask DisposeAsync()
    {
        await Standalone.DisposeAsync();
        await Site.DisposeAsync();
        try { Directory.Delete(DataRoot, recursive: true); } catch (IOException) { }
    }
}
