using System.Net;

namespace NasSav.Gateway;

/// <summary>Everything under the <c>Gateway</c> configuration section (see docs/gateway.md).</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>Forwarding table; empty (standalone) means every request is served by local endpoints.</summary>
    public List<GatewayRouteOptions> Routes { get; set; } = [];

    /// <summary>Accepted API keys (X-Api-Key, Authorization: Bearer, or the login cookie).</summary>
    public List<string> ApiKeys { get; set; } = [];

    /// <summary>
    /// CIDR blocks whose clients need no key. Not set = loopback only (127.0.0.0/8, ::1).
    /// A list holding only "none" = nobody is anonymous (configuration cannot express an empty list).
    /// </summary>
    public List<string>? AnonymousNetworks { get; set; }

    /// <summary>Extra origins allowed to open the WebSocket (the request's own host is always allowed).</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>Folder of a built SPA (e.g. NASSAV vue_frontend/dist). Empty = no UI served.</summary>
    public string? StaticUiPath { get; set; }

    public HealthCheckSettings HealthCheck { get; set; } = new();
    public RateLimitSettings RateLimit { get; set; } = new();
    public CorsSettings Cors { get; set; } = new();
    public WebSocketSettings WebSocket { get; set; } = new();

    public static readonly string[] DefaultAnonymousNetworks = ["127.0.0.0/8", "::1/128"];

    /// <summary>The anonymous networks after defaults and the "none" keyword are applied.</summary>
    public IReadOnlyList<string> EffectiveAnonymousNetworks =>
        AnonymousNetworks is null
            ? DefaultAnonymousNetworks
            : AnonymousNetworks.Where(n => !string.IsNullOrWhiteSpace(n) && !n.Trim().Equals("none", StringComparison.OrdinalIgnoreCase))
                .Select(n => n.Trim()).ToList();

    internal static IEnumerable<string?> Validate(GatewayOptions o)
    {
        for (var i = 0; i < o.Routes.Count; i++)
        {
            var route = o.Routes[i];
            var key = $"Routes:{i}";
            if (route is null) { yield return $"{key}: empty route"; continue; }
            if (string.IsNullOrWhiteSpace(route.PathPrefix) || !route.PathPrefix.StartsWith('/'))
                yield return $"{key}:PathPrefix: '{route.PathPrefix}' must start with '/' (e.g. /nassav/api)";
            else if (route.PathPrefix.IndexOfAny(['{', '}', '*', '?', '#']) >= 0)
                yield return $"{key}:PathPrefix: '{route.PathPrefix}' must be a plain path (no {{ }} * ? #)";
            if (route.Destinations.Count == 0)
                yield return $"{key}:Destinations: at least one destination URL is required";
            for (var d = 0; d < route.Destinations.Count; d++)
            {
                var dest = route.Destinations[d];
                if (!Uri.TryCreate(dest, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                    yield return $"{key}:Destinations:{d}: '{dest}' is not an absolute http(s) URL";
                else if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
                    yield return $"{key}:Destinations:{d}: '{dest}' must not have a query or fragment";
                else if (route.Destinations.Take(d).Contains(dest, StringComparer.OrdinalIgnoreCase))
                    yield return $"{key}:Destinations:{d}: '{dest}' appears more than once";
            }
            if (route.Timeout <= 0) yield return $"{key}:Timeout: {route.Timeout} must be a positive number of seconds";
        }
        var prefixes = o.Routes.Where(r => r?.PathPrefix is not null).GroupBy(r => r.PathPrefix.TrimEnd('/'), StringComparer.OrdinalIgnoreCase);
        foreach (var dup in prefixes.Where(g => g.Count() > 1))
            yield return $"Routes: PathPrefix '{dup.Key}' appears more than once";

        for (var i = 0; i < o.ApiKeys.Count; i++)
            if (string.IsNullOrWhiteSpace(o.ApiKeys[i]) || o.ApiKeys[i].Trim().Length < 16)
                yield return $"ApiKeys:{i}: a key must be at least 16 characters";

        if (o.AnonymousNetworks is not null)
            for (var i = 0; i < o.AnonymousNetworks.Count; i++)
            {
                var n = o.AnonymousNetworks[i]?.Trim();
                if (string.IsNullOrEmpty(n) || n.Equals("none", StringComparison.OrdinalIgnoreCase)) continue;
                if (!IPNetwork.TryParse(n, out _))
                    yield return $"AnonymousNetworks:{i}: '{n}' is not a CIDR block (e.g. 192.168.1.0/24, fd00::/8)";
            }

        for (var i = 0; i < o.AllowedOrigins.Count; i++)
            if (!IsOrigin(o.AllowedOrigins[i]))
                yield return $"AllowedOrigins:{i}: '{o.AllowedOrigins[i]}' is not an origin (scheme://host[:port])";
        for (var i = 0; i < o.Cors.AllowedOrigins.Count; i++)
            if (!IsOrigin(o.Cors.AllowedOrigins[i]))
                yield return $"Cors:AllowedOrigins:{i}: '{o.Cors.AllowedOrigins[i]}' is not an origin (scheme://host[:port])";

        if (!string.IsNullOrWhiteSpace(o.StaticUiPath))
        {
            var full = Path.GetFullPath(o.StaticUiPath);
            if (!File.Exists(Path.Combine(full, "index.html")))
                yield return $"StaticUiPath: '{o.StaticUiPath}' has no index.html (point it at a built SPA, e.g. vue_frontend/dist)";
        }

        if (o.HealthCheck.Interval <= 0) yield return $"HealthCheck:Interval: {o.HealthCheck.Interval} must be > 0 seconds";
        if (o.HealthCheck.Timeout <= 0) yield return $"HealthCheck:Timeout: {o.HealthCheck.Timeout} must be > 0 seconds";
        if (o.HealthCheck.PassiveCooldown < 0) yield return $"HealthCheck:PassiveCooldown: {o.HealthCheck.PassiveCooldown} must be >= 0 seconds";
        if (o.HealthCheck.ConnectTimeout <= 0) yield return $"HealthCheck:ConnectTimeout: {o.HealthCheck.ConnectTimeout} must be > 0 seconds";
        if (o.RateLimit.PermitsPerMinute < 0) yield return $"RateLimit:PermitsPerMinute: {o.RateLimit.PermitsPerMinute} must be >= 0 (0 = off)";
        if (o.WebSocket.QueueStatusTimeout <= 0) yield return $"WebSocket:QueueStatusTimeout: {o.WebSocket.QueueStatusTimeout} must be > 0 seconds";
        if (o.WebSocket.KeepAliveInterval <= 0) yield return $"WebSocket:KeepAliveInterval: {o.WebSocket.KeepAliveInterval} must be > 0 seconds";
        if (o.WebSocket.SendQueueLimit < 2) yield return $"WebSocket:SendQueueLimit: {o.WebSocket.SendQueueLimit} must be >= 2";
    }

    internal static bool IsOrigin(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.AbsolutePath == "/" && string.IsNullOrEmpty(uri.Query) && !value!.TrimEnd('/').EndsWith('#');
}

public sealed class GatewayRouteOptions
{
    /// <summary>Path prefix matched on segment boundaries, case-insensitively; the longest one wins.</summary>
    public string PathPrefix { get; set; } = "";
    public List<string> Destinations { get; set; } = [];
    /// <summary>Seconds to wait for the upstream's response headers, and the longest silence while streaming its body.</summary>
    public double Timeout { get; set; } = 100;
}

public sealed class HealthCheckSettings
{
    /// <summary>Active probe of each destination's /health/ready.</summary>
    public bool Enabled { get; set; } = true;
    public double Interval { get; set; } = 5;
    public double Timeout { get; set; } = 2;
    public string Path { get; set; } = "/health/ready";
    /// <summary>Seconds a destination that refused a connection is skipped before it is tried again.</summary>
    public double PassiveCooldown { get; set; } = 10;
    /// <summary>Seconds to establish a TCP connection to a destination.</summary>
    public double ConnectTimeout { get; set; } = 5;
}

public sealed class RateLimitSettings
{
    /// <summary>Mutating requests (POST/PUT/PATCH/DELETE under /nassav/api) per client per minute; 0 turns limiting off.</summary>
    public int PermitsPerMinute { get; set; } = 120;
}

public sealed class CorsSettings
{
    /// <summary>Origins that get CORS headers. Empty (default) = no CORS headers at all (same origin only).</summary>
    public List<string> AllowedOrigins { get; set; } = [];
}

public sealed class WebSocketSettings
{
    /// <summary>Seconds to wait for catalog's answer to GetQueueStatus before sending an empty queue_status.</summary>
    public double QueueStatusTimeout { get; set; } = 5;
    /// <summary>Seconds between keep-alive pings.</summary>
    public double KeepAliveInterval { get; set; } = 20;
    /// <summary>Frames waiting per connection; beyond that the oldest progress frames are dropped.</summary>
    public int SendQueueLimit { get; set; } = 64;
}
