using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace NasSav.Gateway.Cors;

/// <summary>
/// CORS only for the origins in Gateway:Cors:AllowedOrigins. None configured (the default) means the CORS
/// middleware is not even in the pipeline: no CORS header ever, same-origin use only, as the peer.
/// </summary>
public static class GatewayCors
{
    public static IServiceCollection AddGatewayCors(this IServiceCollection services, GatewayOptions options)
    {
        if (options.Cors.AllowedOrigins.Count == 0) return services;
        var origins = options.Cors.AllowedOrigins.Where(GatewayOptions.IsOrigin).Select(o => new Uri(o).GetLeftPart(UriPartial.Authority)).ToArray();
        services.AddCors(c => c.AddDefaultPolicy(p => p
            .WithOrigins(origins)
            .AllowAnyHeader()
            .AllowAnyMethod()
            .WithExposedHeaders("Retry-After", "Content-Disposition", "ETag", "Last-Modified")
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));
        return services;
    }

    /// <summary>Before auth, so that preflights (which carry no key) are answered.</summary>
    public static IApplicationBuilder UseGatewayCors(this IApplicationBuilder app, GatewayOptions options) =>
        options.Cors.AllowedOrigins.Count == 0 ? app : app.UseCors();
}
