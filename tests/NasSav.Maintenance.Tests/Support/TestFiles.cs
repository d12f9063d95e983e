using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using NasSav.Media.Processes;

namespace NasSav.Maintenance.Tests.Support;

public static class TestFiles
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static byte[]? _jpeg;

    /// <summary>A real JPEG (made once with ffmpeg), so catalog's thumbnailer can work from it.</summary>
    public static async Task<byte[]> JpegAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_jpeg is not null) return _jpeg;
            var path = Path.Combine(Path.GetTempPath(), $"nassav-maint-{Guid.NewGuid():N}.jpg");
            await ProcessRunner.RunCheckedAsync(new ProcessSpec("ffmpeg",
                ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "color=c=blue:s=400x268", "-frames:v", "1", path])
                { Timeout = TimeSpan.FromSeconds(60) });
            _jpeg = await File.ReadAllBytesAsync(path);
            File.Delete(path);
            return _jpeg;
        }
        finally
        {
            Gate.Release();
        }
    }
}

/// <summary>A metadata site's picture server, faked at the HTTP level: GET /pics/{name} answers a JPEG.</summary>
public sealed class PictureServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    public string BaseUrl { get; }
    public int Requests => Volatile.Read(ref _requests);
    private int _requests;

    private PictureServer(WebApplication app, string url)
    {
        _app = app;
        BaseUrl = url;
    }

    public static async Task<PictureServer> StartAsync()
    {
        var jpeg = await TestFiles.JpegAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        PictureServer? server = null;
        app.MapGet("/pics/{name}", (string name) =>
        {
            Interlocked.Increment(ref server!._requests);
            return Results.Bytes(jpeg, "image/jpeg");
        });
        await app.StartAsync();
        server = new PictureServer(app, app.Urls.First().TrimEnd('/'));
        return server;
    }

    public string Url(string name) => $"{BaseUrl}/pics/{name}";

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
