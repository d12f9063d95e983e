using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NasSav.Gateway;
using NasSav.ServiceDefaults.Bus;
using NasSav.ServiceDefaults.Hosting;
using NasSav.ServiceDefaults.Http;

namespace NasSav.Gateway.Tests.Support;

/// <summary>
/// The gateway composed exactly as NasSav.Gateway.Host's Program.cs does, on a real Kestrel socket at
/// 127.0.0.1:0, with an optional stand-in for catalog on its in-memory bus (answers GetQueueStatus).
/// </summary>
public sealed class GatewayServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GatewayServer(WebApplication app, Uri address, FakeCatalog? catalog)
    {
        _app = app;
        BaseAddress = address;
        Catalog = catalog;
    }

    public Uri BaseAddress { get; }
    public IServiceProvider Services => _app.Services;
    public FakeCatalog? Catalog { get; }

    public Uri WebSocketUri(string path = "/nassav/ws/tasks/") =>
        new UriBuilder(BaseAddress) { Scheme = "ws", Path = path }.Uri;

    public HttpClient CreateClient() => new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
    {
        BaseAddress = BaseAddress,
        Timeout = TimeSpan.FromSeconds(60),
    };

    /// <param name="listenUrl">Kestrel's address; the default listens on loopback only, http://0.0.0.0:0 on every interface.</param>
    public static async Task<GatewayServer> StartAsync(IDictionary<string, string?>? settings = null, bool withCatalog = true,
        string listenUrl = "http://127.0.0.1:0")
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Testing",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bus:Transport"] = "InMemory",
            ["Logging:Format"] = "simple",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:MassTransit"] = "Warning",
            ["Gateway:WebSocket:QueueStatusTimeout"] = "3",
        });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls(listenUrl);

        // Program.cs of NasSav.Gateway.Host, plus the catalog stand-in's bus contribution.
        builder.AddNasSavDefaults("gateway");
        builder.Services.AddGateway(builder.Configuration);
        FakeCatalog? catalog = null;
        if (withCatalog)
        {
            catalog = new FakeCatalog();
            builder.Services.AddSingleton(catalog);
            builder.Services.AddBusContribution(x => x.AddConsumer<FakeCatalogQueueConsumer>());
        }
        builder.Services.AddNasSavBus(builder.Configuration);

        var app = builder.Build();
        app.UseNasSavErrorEnvelope();
        app.UseGateway();
        app.UseNasSavApi();
        app.MapNasSavHealth();
        app.MapGateway();

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var bound = new Uri(address);
        var server = new GatewayServer(app, new UriBuilder(bound) { Host = "127.0.0.1" }.Uri, catalog);
        await server.WaitForBusAsync();
        return server;
    }

    private async Task WaitForBusAsync()
    {
        var bus = Services.GetRequiredService<IBusControl>();
        var health = await bus.WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(20));
        if (health != BusHealthStatus.Healthy) throw new TimeoutException($"the gateway's bus is {health}");
    }

    public async ValueTask DisposeAsync()
    {
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10))) await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}
