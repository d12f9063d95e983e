using System.Globalization;
using System.Net;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.LoadBalancing;

namespace NasSav.Gateway.Forwarding;

/// <summary>
/// <c>Gateway:Routes</c> as YARP configuration: per configured prefix one route and one cluster (both named by the
/// prefix), the destination URLs as destination ids. Health: the active probe (routes with several destinations),
/// the passive <see cref="FirstConnectFailurePolicy"/>, and every destination when none looks healthy.
/// </summary>
public static class ProxyConfigBuilder
{
    /// <summary>
    /// Forwarded routes outrank the gateway's own endpoints (OpenAPI, health, the SPA fallback), as when forwarding ran
    /// before routing; among themselves the longest prefix wins.
    /// </summary>
    private const int OrderBase = -1_000_000;

    /// <summary>Cluster metadata carrying <c>HealthCheck:ConnectTimeout</c> to the cluster's socket handler.</summary>
    private const string ConnectTimeoutKey = "NasSav.ConnectTimeoutSeconds";

    public static IReadOnlyList<RouteConfig> Routes(GatewayOptions options) =>
        options.Routes.Select(route =>
        {
            var prefix = NormalizedPrefix(route);
            return new RouteConfig
            {
                RouteId = prefix,
                ClusterId = prefix,
                Match = new RouteMatch { Path = prefix == "/" ? "/{**rest}" : prefix + "/{**rest}" },
                Order = OrderBase - prefix.Length,
                // The upstream enforces its own body limit (large uploads pass through, streamed).
                MaxRequestBodySize = -1,
            };
        }).ToList();

    public static IReadOnlyList<ClusterConfig> Clusters(GatewayOptions options)
    {
        var health = options.HealthCheck;
        return options.Routes.Select(route => new ClusterConfig
        {
            ClusterId = NormalizedPrefix(route),
            LoadBalancingPolicy = LoadBalancingPolicies.RoundRobin,
            Destinations = route.Destinations.ToDictionary(d => d, d => new DestinationConfig { Address = d }),
            HttpRequest = new ForwarderRequestConfig
            {
                // Waiting for the response headers, and any silence while a body streams.
                ActivityTimeout = TimeSpan.FromSeconds(route.Timeout),
                Version = HttpVersion.Version11,
                VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            },
            HealthCheck = new HealthCheckConfig
            {
                // A request still has a chance when every destination looks down.
                AvailableDestinationsPolicy = HealthCheckConstants.AvailableDestinations.HealthyOrPanic,
                Passive = new PassiveHealthCheckConfig
                {
                    Enabled = health.PassiveCooldown > 0,
                    Policy = FirstConnectFailurePolicy.PolicyName,
                    ReactivationPeriod = TimeSpan.FromSeconds(Math.Max(health.PassiveCooldown, 1)),
                },
                // With a single destination there is nothing to choose: every request tries it anyway.
                Active = new ActiveHealthCheckConfig
                {
                    Enabled = health.Enabled && route.Destinations.Count > 1,
                    Interval = TimeSpan.FromSeconds(health.Interval),
                    Timeout = TimeSpan.FromSeconds(health.Timeout),
                    Path = "/" + health.Path.TrimStart('/'),
                    Policy = HealthCheckConstants.ActivePolicy.ConsecutiveFailures,
                },
            },
            // One failed probe takes a destination out, one good probe brings it back.
            Metadata = new Dictionary<string, string>
            {
                [ConsecutiveFailuresHealthPolicyOptions.ThresholdMetadataName] = "1",
                [ConnectTimeoutKey] = health.ConnectTimeout.ToString(CultureInfo.InvariantCulture),
            },
        }).ToList();
    }

    public static TimeSpan ConnectTimeout(IReadOnlyDictionary<string, string>? metadata) =>
        metadata is not null && metadata.TryGetValue(ConnectTimeoutKey, out var value)
            && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromSeconds(5);

    private static string NormalizedPrefix(GatewayRouteOptions route) => "/" + route.PathPrefix.Trim('/');
}
