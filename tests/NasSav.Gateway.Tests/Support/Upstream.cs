using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace NasSav.Gateway.Tests.Support;

/// <summary>A tiny real Kestrel app on 127.0.0.1:0 playing an upstream service; it counts the requests it gets.</summary>
public sealed class Upstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private Upstream(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;
    public string Url => Address.ToString().TrimEnd('/');
    public int Requests => Volatile.Read(ref _requests);
    /// <summary>What /health/ready answers (the gateway's active probe).</summary>
    public volatile int HealthStatus = 200;

    public static async Task<Upstream> StartAsync(Action<IEndpointRouteBuilder>? map = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
        var app = builder.Build();
        var upstream = new Upstream(app);
        app.Use((context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments("/health")) Interlocked.Increment(ref upstream._requests);
            return next(context);
        });
        app.MapGet("/health/ready", () => Results.StatusCode(upstream.HealthStatus));
        map?.Invoke(app);
        await app.StartAsync();
        upstream.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return upstream;
    }

    /// <summary>A URL where nothing listens: the port was free a moment ago (connection refused).</summary>
    public static string DeadUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}";
    }

    public async ValueTask DisposeAsync()
    {
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5))) await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}
