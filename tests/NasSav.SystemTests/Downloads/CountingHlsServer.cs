using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace NasSav.SystemTests.Downloads;

/// <summary>
/// One HLS stream (made once with ffmpeg: testsrc + sine, 2 s segments with a fixed GOP) served on 127.0.0.1 under
/// any name, <c>/s/{name}/playlist.m3u8</c>, so several AVIDs download the same bytes while their segment requests
/// are counted apart. Each segment answer waits <see cref="SegmentDelayMs"/> (changeable while running).
/// </summary>
public sealed class CountingHlsServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _dir;
    private readonly ConcurrentDictionary<string, int> _segments = new(StringComparer.Ordinal);

    private CountingHlsServer(WebApplication app, string dir)
    {
        _app = app;
        _dir = dir;
    }

    public int SegmentDelayMs { get; set; }
    public string BaseUrl => _app.Urls.Single().TrimEnd('/');
    public int SegmentCount { get; private set; }
    public string Playlist(string name) => $"{BaseUrl}/s/{name}/playlist.m3u8";
    public int SegmentRequests(string name) => _segments.TryGetValue(name, out var n) ? n : 0;
    /// <summary>Every request header seen, as "Name: value" (a client's -H headers must reach every request).</summary>
    public IReadOnlyCollection<string> Headers => _headers.ToArray();
    private readonly ConcurrentBag<string> _headers = [];

    public static async Task<CountingHlsServer> StartAsync(int seconds)
    {
        var dir = Path.Combine(HostProcess.RunDir, $"downloader-hls-{seconds}s");
        await EnsureStreamAsync(dir, seconds);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new CountingHlsServer(app, dir) { SegmentCount = Directory.GetFiles(dir, "seg*.ts").Length };
        app.MapGet("/s/{name}/{file}", async (string name, string file, HttpContext context) =>
        {
            if (file.Contains("..") || file.Contains('/')) return Results.NotFound();
            foreach (var (header, values) in context.Request.Headers) server._headers.Add($"{header}: {values}");
            var path = Path.Combine(server._dir, file);
            if (!File.Exists(path)) return Results.NotFound();
            if (file.EndsWith(".ts", StringComparison.Ordinal))
            {
                server._segments.AddOrUpdate(name, 1, (_, n) => n + 1);
                if (server.SegmentDelayMs > 0) await Task.Delay(server.SegmentDelayMs, context.RequestAborted);
                return Results.File(path, "video/mp2t");
            }
            return Results.File(path, "application/vnd.apple.mpegurl");
        });
        await app.StartAsync();
        return server;
    }

    private static async Task EnsureStreamAsync(string dir, int seconds)
    {
        if (File.Exists(Path.Combine(dir, "playlist.m3u8"))) return;
        var temp = dir + ".tmp-" + Guid.NewGuid().ToString("N");
        Directory.CreateDirectory(temp);
        var psi = new ProcessStartInfo("ffmpeg",
        [
            "-v", "error", "-y",
            "-f", "lavfi", "-i", $"testsrc=size=320x180:rate=25:duration={seconds}",
            "-f", "lavfi", "-i", $"sine=frequency=440:duration={seconds}",
            "-c:v", "libx264", "-preset", "ultrafast", "-g", "50", "-keyint_min", "50", "-sc_threshold", "0",
            "-c:a", "aac", "-shortest",
            "-f", "hls", "-hls_time", "2", "-hls_list_size", "0", "-hls_playlist_type", "vod",
            "-hls_segment_filename", Path.Combine(temp, "seg%d.ts"), Path.Combine(temp, "playlist.m3u8"),
        ]) { RedirectStandardError = true };
        using var process = Process.Start(psi)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"ffmpeg could not make the test stream: {stderr}");
        try { Directory.Move(temp, dir); }
        catch (IOException) when (File.Exists(Path.Combine(dir, "playlist.m3u8"))) { Directory.Delete(temp, true); } // made meanwhile by another run
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
