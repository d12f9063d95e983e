using Microsoft.Playwright;

namespace NasSav.BrowserTests;

[CollectionDefinition(Name)]
public sealed class UiCollection : ICollectionFixture<UiHost>
{
    public const string Name = "browser";
}

/// <summary>
/// The demo site, the standalone host configured against it (tools/NasSav.DemoSite/demo-config.yaml) and one
/// Chromium, shared by the browser tests. Streams are slow on purpose (16 s clip in 8 segments, each answered
/// after a delay, fetched one at a time) so a download lasts a few seconds and its progress can be watched.
/// </summary>
public sealed class UiHost : IAsyncLifetime
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    /// <summary>Where the sync task <c>sync-offsite</c> copies the backups.</summary>
    public string SyncTarget { get; } = Directory.CreateTempSubdirectory("nassav-offsite-").FullName;
    private IPlaywright _playwright = null!;

    public StandaloneDemo Demo { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public Uri BaseUri => Demo.Standalone.BaseUri;
    public HttpClient Http => _http;

    public async Task InitializeAsync()
    {
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
        // Conditions, not sleeps: every Expect waits up to this long (the machine may be busy building).
        Assertions.SetDefaultExpectTimeout((float)Patience.TotalMilliseconds);
        _playwright = await Playwright.CreateAsync();
        Browser = await Chromium.LaunchAsync(_playwright);
    }

    /// <summary>A fresh browser context (own storage) at the given colour scheme, language and size.</summary>
    public async Task<WatchedPage> OpenAsync(string path = "/", ColorScheme scheme = ColorScheme.Light, string locale = "en-US",
        int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUri.ToString().TrimEnd('/'),
            ColorScheme = scheme,
            Locale = locale,
            ExtraHTTPHeaders = new Dictionary<string, string> { ["Accept-Language"] = locale },
            ViewportSize = new ViewportSize { Width = width, Height = height },
            IsMobile = width < 600,
            HasTouch = width < 600,
        });
        context.SetDefaultTimeout((float)Patience.TotalMilliseconds);
        var page = await context.NewPageAsync();
        var watched = new WatchedPage(context, page, BaseUri);
        await page.GotoAsync(path);
        return watched;
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

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        if (Demo is not null) await Demo.DisposeAsync();
        _http.Dispose();
        try { Directory.Delete(SyncTarget, recursive: true); } catch (IOException) { }
    }
}
