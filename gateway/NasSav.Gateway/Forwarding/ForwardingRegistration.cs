using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;

namespace NasSav.Gateway.Forwarding;

/// <summary>Forwarding on YARP: configuration from <c>Gateway:Routes</c>, our failover and error envelope in its pipeline.</summary>
public static class ForwardingRegistration
{
    public static IServiceCollection AddForwarding(this IServiceCollection services)
    {
        services.AddReverseProxy()
            .ConfigureHttpClient((context, handler) =>
            {
                handler.ConnectTimeout = ProxyConfigBuilder.ConnectTimeout(context.NewMetadata);
                handler.PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60);
                handler.PooledConnectionLifetime = TimeSpan.FromMinutes(5);
            })
            .AddTransforms(ForwardingTransforms.Apply);
        services.AddSingleton<IProxyConfigProvider>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<GatewayOptions>>().Value;
            return new InMemoryConfigProvider(ProxyConfigBuilder.Routes(options), ProxyConfigBuilder.Clusters(options));
        });
        services.AddSingleton<IPassiveHealthCheckPolicy, FirstConnectFailurePolicy>();
        return services;
    }

    /// <summary>The configured routes as endpoints; in standalone there are none and local endpoints answer everything.</summary>
    public static IEndpointRouteBuilder MapForwarding(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapReverseProxy(proxy =>
        {
            proxy.UseMiddleware<UpstreamFailover>();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
        return endpoints;
    }
}
