using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace NasSav.Bench.Hls;

/// <summary>
/// Serves the cache folder on 127.0.0.1 with an injected delay before every response (a far CDN's
/// round trip), so concurrency shows. Files are served from memory after their first request; no
/// range support is needed.
/// </summary>
public sealed class HlsStaticServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HlsStaticServer(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }
    /// <summary>Delay before each response; changed between runs.</summary>
    public TimeSpan Latency { get; set; }

    public static async Task<HlsStaticServer> StartAsync(string root)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        HlsStaticServer? server = null;
        var full = Path.GetFullPath(root);
        // Bodies from memory: a remote CDN costs the client no CPU, so the server here should cost as
        // little as it can (the machine has two cores, shared by server and client).
        var cache = new System.Collections.Concurrent.ConcurrentDictionary<string, byte[]>();
        app.Run(async ctx =>
        {
            var file = Path.GetFullPath(Path.Combine(full, (ctx.Request.Path.Value ?? "").TrimStart('/')));
            if (server!.Latency > TimeSpan.Zero) await Task.Delay(server.Latency, ctx.RequestAborted);
            if (!file.StartsWith(full, StringComparison.Ordinal) || !File.Exists(file))
            {
                ctx.Response.StatusCode = 404;
                return;
            }
            var body = cache.GetOrAdd(file, File.ReadAllBytes);
            ctx.Response.ContentLength = body.Length;
            ctx.Response.ContentType = file.EndsWith(".m3u8", StringComparison.Ordinal) ? "application/vnd.apple.mpegurl" : "video/mp2t";
            if (HttpMethods.IsGet(ctx.Request.Method)) await ctx.Response.Body.WriteAsync(body, ctx.RequestAborted);
        });
        await app.StartAsync();
        server = new HlsStaticServer(app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
