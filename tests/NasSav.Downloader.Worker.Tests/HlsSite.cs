using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using NasSav.DemoSite;
using NasSav.DemoSite.Media;

namespace NasSav.Downloader.Worker.Tests;

/// <summary>
/// The demo site's HLS streams on 127.0.0.1 with a per-segment delay (so a download lasts long enough to be cancelled
/// or taken over) and a count of every request per path (to see which segments a resumed attempt fetched again).
/// One clip of <see cref="ClipSeconds"/> s cut into 2 s segments; DEMO-001 is plain, DEMO-003 AES-128.
/// </summary>
public sealed class HlsSite : IAsyncLifetime
{
    public const int ClipSeconds = 16;
    public const int SegmentCount = ClipSeconds / 2;
    private WebApplication? _app;

    /// <summary>Shared by every run: the clip is generated once (a few seconds) and reused.</summary>
    public static string CacheDir { get; } = Path.Combine(Path.GetTempPath(), "nassav-downloader-worker-tests-hls");
    public string BaseUrl { get; private set; } = "";
    public ConcurrentDictionary<string, int> Requests { get; } = new(StringComparer.Ordinal);

    /// <summary>Milliseconds each segment request waits before it is answered; changeable while running.</summary>
    public int SegmentDelayMs { get; set; }

    public string Playlist(string avid) => $"{BaseUrl}/hls/{avid}/playlist.m3u8";

    public int SegmentRequests(string avid) =>
        Requests.Where(r => r.Key.StartsWith($"/hls/{avid}/", StringComparison.Ordinal) && r.Key.EndsWith(".ts", StringComparison.Ordinal)).Sum(r => r.Value);

    public async Task InitializeAsync()
    {
        _app = DemoSiteApp.Build(["--urls", "http://127.0.0.1:0", "--Demo:Count=12", $"--Demo:CacheDir={CacheDir}", $"--Demo:ClipSeconds={ClipSeconds}", "--Demo:SegmentDelayMs=0"]);
        _app.Use(async (context, next) =>
        {
            var path = context.Request.Path.Value ?? "";
            Requests.AddOrUpdate(path, 1, (_, n) => n + 1);
            if (path.EndsWith(".ts", StringComparison.Ordinal) && SegmentDelayMs > 0)
                await Task.Delay(SegmentDelayMs, context.RequestAborted);
            await next(context);
        });
        await _app.Services.GetRequiredService<MediaCache>().EnsureAsync();
        await _app.StartAsync();
        BaseUrl = _app.Urls.Single().TrimEnd('/');
    }

    public async Task DisposeAsync()
    {
        if (_app is null) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class WorkerCollection : ICollectionFixture<HlsSite>
{
    public const string Name = "downloader worker";
}
