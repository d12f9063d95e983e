using Microsoft.AspNetCore.Http;

namespace NasSav.Gateway.Forwarding;

/// <summary>Requests under a configured route go upstream; the rest falls through to local endpoints (standalone).</summary>
public sealed class ForwardingMiddleware(RequestDelegate next, RouteTable routes, HttpForwarder forwarder)
{
    public Task InvokeAsync(HttpContext context)
    {
        var route = routes.Match(context.Request.Path);
        return route is null ? next(context) : forwarder.ForwardAsync(context, route);
    }
}
