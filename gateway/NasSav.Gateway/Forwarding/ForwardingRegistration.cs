using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace NasSav.Gateway.Forwarding;

public static class ForwardingRegistration
{
    public static IServiceCollection AddForwarding(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RouteTable>();
        services.AddSingleton<ForwarderClient>();
        services.AddSingleton<HttpForwarder>();
        services.AddHostedService<ActiveHealthProbe>();
        return services;
    }

    public static IApplicationBuilder UseForwarding(this IApplicationBuilder app) => app.UseMiddleware<ForwardingMiddleware>();
}
