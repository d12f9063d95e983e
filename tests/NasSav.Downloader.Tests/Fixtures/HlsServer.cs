using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace NasSav.Downloader.Tests.Fixtures;

/// <summary>One request as the server saw it.</summary>
public sealed record SeenRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers);

/// <summary>What the server does with GETs of one path (HEAD is always answered normally unless <see cref="AlwaysStatus"/>).</summary>
public sealed class PathBehaviour
{
    /// <summary>The first N GETs answer <see cref="FailStatus"/>.</summary>
    public int FailTimes;
    public int FailStatus = 500;
    /// <summary>Every request answers this status.</summary>
    public int? AlwaysStatus;
    /// <summary>The first N GETs send half the body, then stop sending (the connection stays open).</summary>
    public int StallTimes;
    /// <summary>Every GET waits, sending nothing, until the client goes away.</summary>
    public bool Hang;
    /// <summary>Range headers are ignored: 200 with the whole resource (some CDNs do this).</summary>
    public bool IgnoreRange;
}

/// <summary>
/// A static HTTP server on 127.0.0.1:0 for HLS fixtures: files under a root folder (byte ranges
/// honoured), in-memory texts for hand-written playlists, switchable failures per path, and a log of
/// every request with its headers.
/// </summary>
public sealed class HlsServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _root;
    private readonly ConcurrentQueue<SeenRequest> _requests = new();
    private int _aborted;

    public ConcurrentDictionary<string, string> Texts { get; } = new(StringComparer.Ordinal);
    public ConcurrentDictionary<string, PathBehaviour> Behaviours { get; } = new(StringComparer.Ordinal);
    public string Url { get; private set; } = "";
    public IReadOnlyList<SeenRequest> Requests => [.. _requests];
    /// <summary>Requests whose client went away while the server was still sending or waiting.</summary>
    public int Aborted => Volatile.Read(ref _aborted);

    private HlsServer(WebApplication app, string root)
    {
        _app = app;
        _root = root;
    }

    public static async Task<HlsServer> StartAsync(string root)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new HlsServer(app, root);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return server;
    }

    public Uri Uri(string pathAndQuery) => new(Url + pathAndQuery);

    public PathBehaviour On(string path) => Behaviours.GetOrAdd(path, _ => new PathBehaviour());

    public int Gets(string path) => Requests.Count(r => r.Method == "GET" && r.Path == path);

    private async Task HandleAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value ?? "/";
        _requests.Enqueue(new SeenRequest(ctx.Request.Method, path, ctx.Request.QueryString.Value ?? "",
            ctx.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
        var isGet = HttpMethods.IsGet(ctx.Request.Method);
        Behaviours.TryGetValue(path, out var behaviour);
        if (behaviour?.AlwaysStatus is { } always)
        {
            ctx.Response.StatusCode = always;
            return;
        }
        if (isGet && behaviour is not null && Interlocked.Decrement(ref behaviour.FailTimes) >= 0)
        {
            ctx.Response.StatusCode = behaviour.FailStatus;
            return;
        }

        byte[] body;
        if (Texts.TryGetValue(path, out var text)) body = System.Text.Encoding.UTF8.GetBytes(text);
        else
        {
            var file = Path.GetFullPath(Path.Combine(_root, path.TrimStart('/')));
            if (!file.StartsWith(_root, StringComparison.Ordinal) || !File.Exists(file))
            {
                ctx.Response.StatusCode = 404;
                return;
            }
            body = await File.ReadAllBytesAsync(file);
        }

        var (offset, length) = (0L, (long)body.Length);
        if (behaviour is not { IgnoreRange: true }
            && RangeHeaderValue.TryParse(ctx.Request.Headers.Range.ToString(), out var range) && range.Ranges.Count == 1)
        {
            var r = range.Ranges.First();
            offset = r.From ?? 0;
            var end = Math.Min(r.To ?? body.Length - 1, body.Length - 1);
            length = end - offset + 1;
            ctx.Response.StatusCode = 206;
            ctx.Response.Headers.ContentRange = $"bytes {offset}-{end}/{body.Length}";
        }
        ctx.Response.ContentLength = length;
        if (!isGet) return;

        try
        {
            if (behaviour is { Hang: true })
            {
                await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
                await Task.Delay(Timeout.Infinite, ctx.RequestAborted);
            }
            if (behaviour is not null && Interlocked.Decrement(ref behaviour.StallTimes) >= 0)
            {
                await ctx.Response.Body.WriteAsync(body.AsMemory((int)offset, (int)(length / 2)), ctx.RequestAborted);
                await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
                await Task.Delay(Timeout.Infinite, ctx.RequestAborted);
            }
            await ctx.Response.Body.WriteAsync(body.AsMemory((int)offset, (int)length), ctx.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            Interlocked.Increment(ref _aborted);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
