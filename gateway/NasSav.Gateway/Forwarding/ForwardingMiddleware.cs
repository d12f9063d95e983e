using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace NasSav.Gateway.Forwarding;

/// <summary>Requests under a configured route go upstream; the rest falls through to local endpoints (standalone).</summary>
public sealed class ForwardingMiddleware(RequestDelegate next, RouteTable routes, HttpForwarder forwarder)
{
    public Task InvokeAsync(HttpContext context)
    {
        var route = context.Request.Path.StartsWithSegments(GatewayPaths.Own, StringComparison.OrdinalIgnoreCase)
            ? null
            : routes.Match(context.Request.Path);
        if (route is null) return next(context);
        // The upstream enforces its own body limit (large uploads pass through, streamed).
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = null;
        return forwarder.ForwardAsync(context, route);
    }
}
