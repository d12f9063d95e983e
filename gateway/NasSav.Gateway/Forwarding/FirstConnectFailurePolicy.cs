using System.Net.Http;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace NasSav.Gateway.Forwarding;

/// <summary>
/// Passive health: a destination that refused a connection (or could not be reached in time) is out of the rotation
/// for the cluster's reactivation period at once. YARP's own TransportFailureRate policy waits for a failure rate over
/// a window, during which requests keep meeting the dead destination.
/// </summary>
public sealed class FirstConnectFailurePolicy(IDestinationHealthUpdater health) : IPassiveHealthCheckPolicy
{
    public const string PolicyName = "FirstConnectFailure";

    public string Name => PolicyName;

    public void RequestProxied(HttpContext context, ClusterState cluster, DestinationState destination)
    {
        if (!IsConnectFailure(context.Features.Get<IForwarderErrorFeature>())) return;
        var period = cluster.Model.Config.HealthCheck?.Passive?.ReactivationPeriod ?? TimeSpan.FromSeconds(10);
        health.SetPassive(cluster, destination, DestinationHealth.Unhealthy, period);
    }

    /// <summary>No connection was made, so nothing of the request reached the destination.</summary>
    public static bool IsConnectFailure(IForwarderErrorFeature? error) => error switch
    {
        { Error: ForwarderError.Request, Exception: HttpRequestException e } =>
            e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
            || e.InnerException is SocketException,
        // SocketsHttpHandler.ConnectTimeout surfaces as a cancellation wrapping a TimeoutException.
        { Error: ForwarderError.RequestTimedOut, Exception: OperationCanceledException { InnerException: TimeoutException } } => true,
        _ => false,
    };
}
