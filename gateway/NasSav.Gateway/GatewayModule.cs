using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace NasSav.Gateway;

/// <summary>The public surface: auth, rate limits, CORS, forwarding, the WebSocket feed, the static UI.</summary>
public static class GatewayModule
{
    public static IServiceCollection AddGateway(this IServiceCollection services, IConfiguration configuration) => services;

    /// <summary>Middleware that must run before routing (auth, CORS, forwarding, WebSocket).</summary>
    public static IApplicationBuilder UseGateway(this IApplicationBuilder app) => app;

    public static IEndpointRouteBuilder MapGateway(this IEndpointRouteBuilder endpoints) => endpoints;
}
