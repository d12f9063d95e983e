using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace NasSav.Scraper.Tests;

public sealed record RecordedRequest(string Path, string Query, IReadOnlyDictionary<string, string> Headers, long ArrivalTimestamp)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;
}

/// <summary>A real HTTP server on 127.0.0.1:0 for the tests: routes by path, records every request on arrival.</summary>
public sealed class TestSite : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Func<HttpContext, Task>> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    private TestSite(WebApplication app) => _app = app;

    public Uri BaseUri { get; private set; } = null!;

    /// <summary>The clock <see cref="RecordedRequest.ArrivalTimestamp"/> is read from (a test's fake clock, to compare with the scraper's).</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;
    public string Domain => BaseUri.Authority;

    public static async Task<TestSite> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        var site = new TestSite(app);
        app.Run(async context =>
        {
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            site._requests.Enqueue(new RecordedRequest(context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "", headers, site.Clock.GetTimestamp()));
            if (site._routes.TryGetValue(context.Request.Path.Value ?? "", out var handler)) await handler(context);
            else context.Response.StatusCode = 404;
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        site.BaseUri = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        return site;
    }

    public void Map(string path, Func<HttpContext, Task> handler) => _routes[path] = handler;

    public void Html(string path, string html) => Map(path, c =>
    {
        c.Response.ContentType = "text/html; charset=utf-8";
        return c.Response.WriteAsync(html);
    });

    public void Text(string path, string text, string contentType) => Map(path, c =>
    {
        c.Response.ContentType = contentType;
        return c.Response.WriteAsync(text);
    });

    public void Bytes(string path, byte[] bytes, string contentType) => Map(path, async c =>
    {
        c.Response.ContentType = contentType;
        c.Response.ContentLength = bytes.Length;
        await c.Response.Body.WriteAsync(bytes);
    });

    public void Status(string path, int code) => Map(path, c =>
    {
        c.Response.StatusCode = code;
        return c.Response.WriteAsync($"status {code}");
    });

    /// <summary>Answers only after <paramref name="delay"/> (or when the client gives up).</summary>
    public void Slow(string path, TimeSpan delay, string html = "<html></html>") => Map(path, async c =>
    {
        try { await Task.Delay(delay, c.RequestAborted); }
        catch (OperationCanceledException) { return; }
        c.Response.ContentType = "text/html";
        await c.Response.WriteAsync(html);
    });

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToList();
    public IReadOnlyList<RecordedRequest> RequestsTo(string path) => _requests.Where(r => r.Path == path).ToList();

    public string Url(string path) => new Uri(BaseUri, path).AbsoluteUri;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public static class TestImages
{
    /// <summary>A minimal JPEG-looking payload (magic bytes + filler), enough for the image check.</summary>
    public static byte[] Jpeg(int size = 256)
    {
        var bytes = new byte[size];
        bytes[0] = 0xFF; bytes[1] = 0xD8; bytes[2] = 0xFF; bytes[3] = 0xE0;
        for (var i = 4; i < size - 2; i++) bytes[i] = (byte)(i % 251);
        bytes[^2] = 0xFF; bytes[^1] = 0xD9;
        return bytes;
    }

    public static byte[] Png() => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R'];

    public static byte[] Html => Encoding.UTF8.GetBytes("<html><body>blocked</body></html>");
}
