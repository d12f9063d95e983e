using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using NasSav.Gateway.Forwarding;
using NasSav.ServiceDefaults.Http;

namespace NasSav.Gateway.Readiness;

/// <summary>
/// <c>GET /nassav/api/gateway/readiness</c> (ours): the readiness of this host (its own health checks: in the
/// standalone host every module's) and of every upstream the gateway forwards to (their <c>/health/ready</c>,
/// asked now, in parallel, within <c>HealthCheck:Timeout</c>). Answered by the gateway itself, never forwarded.
/// </summary>
public static class ReadinessEndpoint
{
    public const string Path = GatewayPaths.Own + "/readiness";

    public static IEndpointRouteBuilder MapReadiness(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, async (HealthCheckService health, RouteTable routes, ForwarderClient client,
            IOptions<GatewayOptions> options, CancellationToken ct) =>
        {
            var self = await health.CheckHealthAsync(c => c.Tags.Contains("ready") || c.Tags.Contains("live"), ct);
            var destinations = routes.Routes
                .SelectMany(r => r.Destinations.Select(d => (Route: r.PathPrefix.Value!, Destination: d)))
                .GroupBy(x => x.Destination.BaseUri)
                .Select(g => ProbeAsync(g.Key, g.First().Destination, g.Select(x => x.Route).ToList(), client, options.Value.HealthCheck, ct));
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
        });
        return endpoints;
    }

    private static async Task<object> ProbeAsync(Uri baseUri, Destination destination, List<string> routes, ForwarderClient client,
        HealthCheckSettings settings, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        string status;
        JsonElement? checks = null;
        string? error = null;
        try
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            cts.CancelAfter(TimeSpan.FromSeconds(settings.Timeout));
            using var request = new HttpRequestMessage(HttpMethod.Get, destination.BuildUri("/" + settings.Path.TrimStart('/')));
            using var response = await client.Invoker.SendAsync(request, cts.Token);
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
            error = ex is OperationCanceledException ? $"no answer within {settings.Timeout} s" : ex.Message;
        }
        return new
        {
            destination = baseUri.ToString(),
            routes,
            status,
            in_rotation = destination.IsHealthy,
            checks,
            error,
            duration_ms = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1),
        };
    }
}
