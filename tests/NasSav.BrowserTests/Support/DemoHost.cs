using System.Diagnostics;
using Microsoft.Playwright;

namespace NasSav.BrowserTests.Support;

/// <summary>
/// The demo site and the standalone host configured against it (tools/NasSav.DemoSite/demo-config.yaml), each a
/// real process, for the tests of NasSav's own web UI. Streams are slow on purpose (a 16 s clip in 8 segments, each
/// answered after 0.7 s, fetched one at a time) so a download lasts a few seconds and its progress can be watched.
/// </summary>
public sealed class DemoHost : IAsyncLifetime
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };

    public StandaloneDemo Demo { get; private set; } = null!;
    public Uri BaseUri => Demo.Standalone.BaseUri;
    public HttpClient Http => _http;
    /// <summary>Where the sync task <c>sync-offsite</c> copies the backups.</summary>
    public string SyncTarget { get; } = Directory.CreateTempSubdirectory("nassav-offsite-").FullName;

    public async Task InitializeAsync()
    {
        // Conditions, not sleeps: every Expect waits up to this long (the machine may be busy building).
        Assertions.SetDefaultExpectTimeout((float)Patience.TotalMilliseconds);
        Demo = await StandaloneDemo.StartAsync(_http, "browser",
            new Dictionary<string, string?>
            {
                ["Demo:ClipSeconds"] = "16",
                ["Demo:SegmentDelayMs"] = "700",
            },
            new Dictionary<string, string?>
            {
                ["Downloader:Engine:Parallelism"] = "1",
                ["Downloader:ProgressIntervalSeconds"] = "0.2",
                ["Downloader:HeartbeatIntervalSeconds"] = "1",
                ["Downloader:HeartbeatTtlSeconds"] = "5",
                ["Maintenance:Sync:offsite:Target"] = "Folder",
                ["Maintenance:Sync:offsite:Path"] = SyncTarget,
            });
    }

    /// <summary>A page of the UI in a fresh browser context at the given colour scheme, language and size.</summary>
    public async Task<BrowserPage> OpenAsync(ChromiumFixture chromium, string path = "/", ColorScheme scheme = ColorScheme.Light,
        string locale = "en-US", int width = 1280, int height = 900)
    {
        var page = await chromium.NewPageAsync(BaseUri, new BrowserNewContextOptions
        {
            ColorScheme = scheme,
            Locale = locale,
            ExtraHTTPHeaders = new Dictionary<string, string> { ["Accept-Language"] = locale },
            ViewportSize = new ViewportSize { Width = width, Height = height },
            IsMobile = width < 600,
            HasTouch = width < 600,
        }, Patience);
        await page.Page.GotoAsync(path);
        return page;
    }

    /// <summary>Adds titles straight through the API (for tests about other pages).</summary>
    public async Task AddAsync(params string[] avids)
    {
        var actions = string.Join(',', avids.Select(a => $$"""{"action":"add","avid":"{{a}}"}"""));
        using var response = await _http.PostAsync(Demo.Api("resources/batch"),
            new StringContent($$"""{"actions":[{{actions}}]}""", System.Text.Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
    }

    public Task<string> GetAsync(string apiPath) => _http.GetStringAsync(Demo.Api(apiPath));

    /// <summary>The host's log tail, for failure messages.</summary>
    public string Logs() => Demo.Standalone.Tail(80);

    /// <summary>CJK fonts, so that pictures of the UI show Chinese and Japanese instead of boxes (tests do not need them).</summary>
    public static async Task EnsureFontsAsync()
    {
        var script = Path.Combine(RepoPaths.Root, "deploy", "local", "ensure-tools.sh");
        using var process = Process.Start(new ProcessStartInfo(script, ["fonts"]) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false })!;
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{script} fonts failed:\n{await errors}");
    }

    public async Task DisposeAsync()
    {
        if (Demo is not null) await Demo.DisposeAsync();
        _http.Dispose();
        try { Directory.Delete(SyncTarget, recursive: true); } catch (IOException) { }
    }
}
