using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace NasSav.Gateway.Forwarding;

/// <summary>
/// Every few seconds asks each destination's /health/ready; a non-2xx answer or no answer takes it out of
/// the rotation until a probe succeeds again. Only routes with more than one destination are probed:
/// with a single destination there is nothing to choose, and every request tries it anyway.
/// </summary>
public sealed class ActiveHealthProbe(RouteTable routes, ForwarderClient client, IOptions<GatewayOptions> options,
    TimeProvider time, ILogger<ActiveHealthProbe> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.HealthCheck;
        var destinations = routes.Routes.Where(r => r.Destinations.Count > 1).SelectMany(r => r.Destinations).ToList();
        if (!settings.Enabled || destinations.Count == 0) return;

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(settings.Interval), time);
        do
        {
            await Task.WhenAll(destinations.Select(d => ProbeAsync(d, settings, stoppingToken)));
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken token)
    {
        try { return await timer.WaitForNextTickAsync(token); }
        catch (OperationCanceledException) { return false; }
    }

    private async Task ProbeAsync(Destination destination, HealthCheckSettings settings, CancellationToken stoppingToken)
    {
        bool healthy;
        try
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            cts.CancelAfter(TimeSpan.FromSeconds(settings.Timeout));
            using var request = new HttpRequestMessage(HttpMethod.Get, destination.BuildUri("/" + settings.Path.TrimStart('/')));
            using var response = await client.Invoker.SendAsync(request, cts.Token);
            healthy = response.IsSuccessStatusCode;
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
        {
            healthy = false;
        }
        if (destination.IsHealthy != healthy)
            log.LogInformation("Destination {Destination} is now {State} (active probe)", destination, healthy ? "healthy" : "unhealthy");
        destination.ReportProbe(healthy);
    }
}
