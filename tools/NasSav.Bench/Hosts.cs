using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using NasSav.Catalog;
using NasSav.Gateway;
using NasSav.ServiceDefaults.Hosting;

namespace NasSav.Bench;

/// <summary>Real hosts on loopback, built by the same ServiceHost as the products.</summary>
public static class Hosts
{
    private static readonly string[] Common = ["--urls=http://127.0.0.1:0", "--Logging:Format=simple", "--Logging:LogLevel:Default=Warning"];

    public static async Task<WebApplication> StartCatalogAsync(string dataRoot)
    {
        var app = ServiceHost.Build([.. Common, "--Data:Root=" + dataRoot], "bench-catalog",
            (services, config) => services.AddCatalog(config),
            a => { a.MapCatalog(); MapBlob(a); });
        await app.StartAsync();
        return app;
    }

    /// <summary>A gateway forwarding /nassav/api and /blob to <paramref name="upstream"/>.</summary>
    public static async Task<WebApplication> StartGatewayAsync(string dataRoot, string upstream)
    {
        var app = ServiceHost.Build(
            [.. Common, "--Data:Root=" + dataRoot,
             "--Gateway:Routes:0:PathPrefix=/nassav/api", "--Gateway:Routes:0:Destinations:0=" + upstream,
             "--Gateway:Routes:1:PathPrefix=/blob", "--Gateway:Routes:1:Destinations:0=" + upstream,
             "--Gateway:RateLimit:PermitsPerMinute=0"],
            "bench-gateway",
            (services, config) => services.AddGateway(config),
            a => a.MapGateway(),
            beforeRouting: a => a.UseGateway());
        await app.StartAsync();
        return app;
    }

    public static string Url(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    /// <summary>A streaming source for the forwarding throughput run: /blob/{MiB}.</summary>
    private static void MapBlob(WebApplication app) =>
        app.MapGet("/blob/{mb:int}", async (int mb, HttpContext ctx) =>
        {
            var chunk = new byte[64 * 1024];
            ctx.Response.ContentLength = mb * 1024L * 1024L;
            for (var i = 0; i < mb * 16; i++) await ctx.Response.Body.WriteAsync(chunk, ctx.RequestAborted);
        });
}
