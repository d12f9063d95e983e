using System.Diagnostics;
using NasSav.DemoSite;
using NasSav.DemoSite.Catalog;

namespace NasSav.DemoSite.Tests;

/// <summary>
/// One real demo site (Kestrel on 127.0.0.1:0, ffmpeg must reach it) with a fresh media cache, so
/// generation itself is under test. 12 numbered AVIDs cover every stream kind: 001 plain, 003 AES,
/// 004 placeholder actor, 005 master.
/// </summary>
public sealed class DemoSiteFixture : IAsyncLifetime
{
    public const int SlowMs = 400;
    /// <summary>A short clip and no segment delay: the demo's own defaults are made for watching, not for tests.</summary>
    public const int ClipSeconds = 8;
    private WebApplication? _app;

    public string CacheDir { get; } = Path.Combine(Path.GetTempPath(), "nassav-demo-site-tests-" + Guid.NewGuid().ToString("N"));
    public string BaseUrl { get; private set; } = "";
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };
    public DemoCatalog Catalog => _app!.Services.GetRequiredService<DemoCatalog>();
    public TimeSpan StartTime { get; private set; }

    public DemoTitle Title(string avid) => Catalog.Find(avid) ?? throw new InvalidOperationException($"{avid} is not in the catalog");

    public async Task InitializeAsync()
    {
        var sw = Stopwatch.StartNew();
        _app = await DemoSiteApp.StartAsync(
        [
            "--urls", "http://127.0.0.1:0",
            "--Demo:Count=12",
            $"--Demo:CacheDir={CacheDir}",
            $"--Demo:SlowMs={SlowMs}",
            $"--Demo:ClipSeconds={ClipSeconds}",
            "--Demo:SegmentDelayMs=0",
        ]);
        StartTime = sw.Elapsed;
        BaseUrl = _app.Urls.Single().TrimEnd('/');
        Http.BaseAddress = new Uri(BaseUrl);
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        if (Directory.Exists(CacheDir)) Directory.Delete(CacheDir, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class SiteCollection : ICollectionFixture<DemoSiteFixture>
{
    public const string Name = "demo site";
}
