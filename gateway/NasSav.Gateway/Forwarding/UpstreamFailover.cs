using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using NasSav.ServiceDefaults.Http;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace NasSav.Gateway.Forwarding;

/// <summary>
/// First step of the proxy pipeline (before load balancing and passive health). YARP 2.3 does not retry on another
/// destination, so a request whose connection failed, with no byte of its body read, is sent again to the next one
/// (the passive policy has just taken the dead one out). Failures leave as the API envelope: 504 when the upstream
/// stayed silent past the route's timeout, 502 otherwise. WebSocket upgrades are not forwarded: the only WebSocket is
/// the gateway's own feed, answered before routing.
/// </summary>
public sealed class UpstreamFailover(RequestDelegate next, ILogger<UpstreamFailover> log)
{
    public const string TimeoutMessage = "上游服务超时";
    public const string UnavailableMessage = "上游服务不可用";

    public async Task InvokeAsync(HttpContext context)
    {
        // Without the upgrade features YARP sends a plain request and drops Upgrade/Connection like any hop-by-hop header.
        context.Features.Set<IHttpUpgradeFeature>(null);
        context.Features.Set<IHttpExtendedConnectFeature>(null);

        var proxy = context.GetReverseProxyFeature();
        TrackingRequestStream? body = null;
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody != false)
            context.Request.Body = body = new TrackingRequestStream(context.Request.Body);

        var tried = new List<DestinationState>();
        while (true)
        {
            await next(context);
            var error = context.Features.Get<IForwarderErrorFeature>();
            if (error is null) return;
            if (context.RequestAborted.IsCancellationRequested) return; // the client left; the upstream call went with it

            if (FirstConnectFailurePolicy.IsConnectFailure(error) && proxy.ProxiedDestination is { } failed
                && body is not { Started: true } && !context.Response.HasStarted)
            {
                tried.Add(failed);
                var left = proxy.AllDestinations.Where(d => !tried.Contains(d)).ToList();
                log.LogWarning("Upstream {Destination} refused the connection ({Error}){Next}", failed.Model.Config.Address,
                    error.Exception?.Message, left.Count > 0 ? "; trying the next destination" : "");
                if (left.Count > 0)
                {
                    var healthy = left.Where(IsHealthy).ToList();
                    proxy.AvailableDestinations = healthy.Count > 0 ? healthy : left;
                    context.Features.Set<IForwarderErrorFeature>(null);
                    context.Response.Clear();
                    continue;
                }
            }
            else
            {
                log.LogWarning(error.Exception, "Upstream {Destination} failed on {Method} {Path}: {Error}",
                    proxy.ProxiedDestination?.Model.Config.Address, context.Request.Method, context.Request.Path, error.Error);
            }
            await WriteErrorAsync(context, error);
            return;
        }
    }

    private static bool IsHealthy(DestinationState d) =>
        d.Health.Active != DestinationHealth.Unhealthy && d.Health.Passive != DestinationHealth.Unhealthy;

    private static Task WriteErrorAsync(HttpContext context, IForwarderErrorFeature error)
    {
        // Started: YARP has already aborted the connection, so a truncated body cannot pass for a whole one.
        if (context.Response.HasStarted) return Task.CompletedTask;
        // A body that stalls before its first byte meets the same activity timeout as silent headers; YARP reports it as a
        // destination error whose exception is the cancellation (an upstream that broke off gives an IOException).
        var timedOut = error.Error is ForwarderError.RequestTimedOut
            || (error.Error is ForwarderError.ResponseBodyDestination && error.Exception is OperationCanceledException);
        context.Response.Clear();
        return ApiResults.WriteAsync(context, timedOut ? 504 : 502, timedOut ? TimeoutMessage : UnavailableMessage);
    }
}
