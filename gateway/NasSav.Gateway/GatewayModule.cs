using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NasSav.Gateway.Auth;
using NasSav.Gateway.Cors;
using NasSav.Gateway.Forwarding;
using NasSav.Gateway.RateLimiting;
using NasSav.Gateway.Readiness;
using NasSav.Gateway.StaticUi;
using NasSav.Gateway.Ui;
using NasSav.Gateway.WebSockets;
using NasSav.ServiceDefaults.Configuration;
using NasSav.ServiceDefaults.Http;

namespace NasSav.Gateway;

/// <summary>The public surface: auth, rate limits, CORS, forwarding, the WebSocket feed, our web UI and NASSAV's static UI.</summary>
public static class GatewayModule
{
    public static IServiceCollection AddGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<GatewayOptions>(configuration, GatewayOptions.Section, GatewayOptions.Validate);
        var raw = configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>() ?? new GatewayOptions();
        return services
            .AddGatewayCors(raw)
            .AddApiKeyAuth()
            .AddGatewayRateLimiting()
            .AddTaskFeed()
            .AddMaintenanceFeed()
            .AddForwarding()
            .AddUi()
            .AddReadiness()
            .AddNasSavOpenApi();
    }

    /// <summary>
    /// Before routing, in this order: CORS (preflights carry no key), API key, rate limit, the WebSocket feed (so no
    /// forwarded route can take it), then the UI's static files. Routing then picks a forwarded route (YARP endpoints,
    /// ordered before every local one), a local endpoint (standalone) or the SPA fallback mapped by <see cref="MapGateway"/>.
    /// </summary>
    public static IApplicationBuilder UseGateway(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<GatewayOptions>>().Value;
        app.UseGatewayCors(options);
        app.UseApiKeyAuth();
        app.UseRateLimiter();
        app.UseTaskFeed();
        app.UseGatewayStaticUi(options);
        return app;
    }

    public static IEndpointRouteBuilder MapGateway(this IEndpointRouteBuilder endpoints)
    {
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<GatewayOptions>>().Value;
        endpoints.MapForwarding();
        endpoints.MapNasSavOpenApi();
        endpoints.MapReadiness();
        endpoints.MapUi(options);
        endpoints.MapGatewayStaticUi(options);
        return endpoints;
    }
}
