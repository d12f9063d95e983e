using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace NasSav.Gateway.Forwarding;

/// <summary>One upstream base URL with its health: active (probe) and passive (connect failures).</summary>
public sealed class Destination(Uri baseUri, TimeProvider time)
{
    private long _unhealthyUntilTicks; // passive: connect failure cooldown (TimeProvider UTC ticks)
    private volatile bool _probeHealthy = true;

    public Uri BaseUri { get; } = baseUri;

    public bool IsHealthy => _probeHealthy && time.GetUtcNow().UtcTicks >= Interlocked.Read(ref _unhealthyUntilTicks);

    public void MarkConnectFailure(TimeSpan cooldown) =>
        Interlocked.Exchange(ref _unhealthyUntilTicks, (time.GetUtcNow() + cooldown).UtcTicks);

    public void ReportProbe(bool healthy) => _probeHealthy = healthy;

    /// <summary>The destination's base path followed by <paramref name="pathAndQuery"/> (origin-form, starting with '/').</summary>
    public Uri BuildUri(string pathAndQuery)
    {
        var basePath = BaseUri.AbsolutePath.TrimEnd('/');
        return new Uri(BaseUri.GetLeftPart(UriPartial.Authority) + basePath + pathAndQuery, UriKind.Absolute);
    }

    public override string ToString() => BaseUri.ToString();
}

public sealed class GatewayRoute
{
    private int _next = -1;

    public GatewayRoute(GatewayRouteOptions options, TimeProvider time)
    {
        PathPrefix = new PathString("/" + options.PathPrefix.Trim('/'));
        Destinations = options.Destinations.Select(d => new Destination(new Uri(d, UriKind.Absolute), time)).ToList();
        Timeout = TimeSpan.FromSeconds(options.Timeout);
    }

    public PathString PathPrefix { get; }
    public IReadOnlyList<Destination> Destinations { get; }
    public TimeSpan Timeout { get; }

    /// <summary>
    /// Destinations in the order to try them: round robin over the healthy ones first; the unhealthy ones
    /// last, so a request still has a chance when every destination looks down.
    /// </summary>
    public IEnumerable<Destination> Candidates()
    {
        var count = Destinations.Count;
        var start = (int)((uint)Interlocked.Increment(ref _next) % (uint)count);
        var unhealthy = new List<Destination>();
        for (var i = 0; i < count; i++)
        {
            var d = Destinations[(start + i) % count];
            if (d.IsHealthy) yield return d;
            else unhealthy.Add(d);
        }
        foreach (var d in unhealthy) yield return d;
    }
}

/// <summary>The configured routes, longest prefix first.</summary>
public sealed class RouteTable
{
    public RouteTable(IOptions<GatewayOptions> options, TimeProvider time)
    {
        Routes = options.Value.Routes
            .Select(r => new GatewayRoute(r, time))
            .OrderByDescending(r => r.PathPrefix.Value!.Length)
            .ToList();
    }

    public IReadOnlyList<GatewayRoute> Routes { get; }

    public GatewayRoute? Match(PathString path)
    {
        foreach (var route in Routes)
            if (route.PathPrefix == "/" || path.StartsWithSegments(route.PathPrefix, StringComparison.OrdinalIgnoreCase))
                return route;
        return null;
    }
}
