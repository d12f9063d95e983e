using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using NasSav.ServiceDefaults.Http;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace NasSav.Gateway.Readiness;

/// <summary>
/// <c>GET /nassav/api/gateway/readiness</c> (ours): the readiness of this host (its own health checks: in the
/// standalone host every module's) and of every upstream the gateway forwards to (their <c>/health/ready</c>,
/// asked now, in parallel, within <c>HealthCheck:Timeout</c>). Answered by the gateway itself, never forwarded.
/// </summary>
public static class ReadinessEndpoint
{
    public const string Path = GatewayPaths.Own + "/readiness";

    /// <summary>Before every forwarded route (they outrank local endpoints, see ProxyConfigBuilder): a route for
    /// <c>/nassav/api</c> must not take the gateway's own path.</summary>
    private const int Order = int.MinValue;

    public static IServiceCollection AddReadiness(this IServiceCollection services) =>
        services.AddSingleton<ReadinessProbe>();

    public static IEndpointRouteBuilder MapReadiness(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, async (HealthCheckService health, IProxyStateLookup proxy, ReadinessProbe probe, CancellationToken ct) =>
        {
            var self = await health.CheckHealthAsync(c => c.Tags.Contains("ready") || c.Tags.Contains("live"), ct);
            var destinations = proxy.GetClusters()
                .SelectMany(cluster => cluster.Destinations.Values.Select(d => (Route: cluster.ClusterId, Destination: d)))
                .GroupBy(x => x.Destination.Model.Config.Address)
                .Select(g => probe.AskAsync(g.Key, g.Select(x => x.Route).ToList(), g.All(x => InRotation(x.Destination)), ct));
            return ApiResults.Ok(new
            {
                host = new
                {
                    status = self.Status.ToString(),
                    checks = self.Entries.ToDictionary(e => e.Key, e => new
                    {
                        status = e.Value.Status.ToString(),
                        description = e.Value.Description,
                        duration_ms = Math.Round(e.Value.Duration.TotalMilliseconds, 1),
                    }),
                },
                upstreams = await Task.WhenAll(destinations),
            });
        }).WithOrder(Order);
        return endpoints;
    }

    private static bool InRotation(DestinationState d) =>
        d.Health.Active != DestinationHealth.Unhealthy && d.Health.Passive != DestinationHealth.Unhealthy;
}

/// <summary>Asks one upstream's readiness endpoint (its own connection pool: no cookies, no redirects, no proxy).</summary>
public sealed class ReadinessProbe : IDisposable
{
    private readonly HttpClient _client;
    private readonly HealthCheckSettings _settings;

    public ReadinessProbe(IOptions<GatewayOptions> options)
    {
        _settings = options.Value.HealthCheck;
        _client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            ConnectTimeout = TimeSpan.FromSeconds(_settings.ConnectTimeout),
        })
        { Timeout = Timeout.InfiniteTimeSpan };
    }

    public async Task<object> AskAsync(string address, List<string> routes, bool inRotation, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        string status;
        JsonElement? checks = null;
        string? error = null;
        try
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            cts.CancelAfter(TimeSpan.FromSeconds(_settings.Timeout));
            var uri = new Uri(address.TrimEnd('/') + "/" + _settings.Path.TrimStart('/'));
            using var response = await _client.GetAsync(uri, cts.Token);
            var body = await response.Content.ReadAsStringAsync(cts.Token);
            status = response.IsSuccessStatusCode ? "Healthy" : "Unhealthy";
            try
            {
                using var json = JsonDocument.Parse(body);
                if (json.RootElement.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String) status = s.GetString()!;
                if (json.RootElement.TryGetProperty("checks", out var c)) checks = c.Clone();
            }
            catch (JsonException)
            {
                error = $"HTTP {(int)response.StatusCode}";
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException && !ct.IsCancellationRequested)
        {
            status = "Unreachable";
            error = ex is OperationCanceledException ? $"no answer within {_settings.Timeout} s" : ex.Message;
        }
        return new
        {
            destination = address,
            routes,
            status,
            in_rotation = inRotation,
            checks,
            error,
            duration_ms = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1),
        };
    }

    public void Dispose() => _client.Dispose();
}
