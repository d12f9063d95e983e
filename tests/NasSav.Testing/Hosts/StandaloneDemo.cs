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
        var siteProcess = DemoSiteHost.Start(port, site);
        await siteProcess.WaitReadyAsync(http, HostProcess.ReadyTimeout, "health");
        var settings = new Dictionary<string, string?>(hostSettings ?? new Dictionary<string, string?>());
        foreach (var (key, value) in DemoSiteHost.ClientSettings(port)) settings[key] = value;
        settings["Data:Root"] = dataRoot;
        var standalone = HostProcess.Start("standalone", HostProcess.BuiltDll("tools/NasSav.Standalone"), HostProcess.FreePort(), settings);
        await standalone.WaitReadyAsync(http, HostProcess.ReadyTimeout);
        return new StandaloneDemo(siteProcess, standalone, dataRoot);
    }

    /// <summary>Host settings that translate with <paramref name="llm"/> (a local LLM stand-in speaking Ollama's protocol), quickly.</summary>
    public static Dictionary<string, string?> TranslatingWith(NasSav.Testing.FakeLlm.FakeLlmServer llm) => new()
    {
        ["Translator:Enabled"] = "true",
        ["Translator:Active"] = "fake",
        ["Translator:Engines:fake:Type"] = "ollama",
        ["Translator:Engines:fake:Url"] = llm.Url,
        ["Translator:Engines:fake:Model"] = "qwen2.5:7b",
        ["Translator:Engines:fake:TimeoutSeconds"] = "5",
        ["Translator:Engines:fake:MaxRetries"] = "1",
        ["Translator:Engines:fake:RequestsPerMinute"] = "6000",
    };

    public async ValueTask DisposeAsync()
    {
        await Standalone.DisposeAsync();
        await Site.DisposeAsync();
        try { Directory.Delete(DataRoot, recursive: true); } catch (IOException) { }
    }
}
