using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NasSav.Downloader.Downloads;
using NasSav.ServiceDefaults.Http;
using NasSav.Coordination.Locking;

namespace NasSav.Downloader.Monitoring;

/// <summary>
/// /nassav/api/monitoring/: the download lease's health, heartbeats of running tasks, statistics, and a manual
/// (force) release. Cluster-wide: every instance answers from the shared store and the lease itself.
/// </summary>
public static class MonitoringEndpoints
{
    public const string Prefix = ApiPipeline.ApiPrefix + "/monitoring";

    public static IEndpointRouteBuilder MapLockMonitoring(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(Prefix);
        group.MapGet("/lock", LockAsync);
        group.MapGet("/heartbeats", HeartbeatsAsync);
        group.MapGet("/stats", StatsAsync);
        group.MapPost("/lock/release", ReleaseAsync);
        return endpoints;
    }

    private static async Task<IResult> LockAsync(ILeaseLock leases, IFencingEpochs epochs, Heartbeats heartbeats, LockStats stats,
        IOptions<DownloaderOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var holder = await leases.GetHolderAsync(DownloadKeys.Lease, ct);
        var epoch = await epochs.CurrentAsync(DownloadKeys.Lease, ct);
        var current = await heartbeats.CurrentAsync(ct);
        var counters = await stats.ReadAsync(ct);
        var o = options.Value.Monitoring;
        var age = holder is null ? (TimeSpan?)null : clock.GetUtcNow() - holder.AcquiredAt;
        var state = age switch
        {
            null => "free",
            var a when a >= TimeSpan.FromMinutes(o.ForceReleaseAfterMinutes) => "force_release_due",
            var a when a >= TimeSpan.FromMinutes(o.CancelAfterMinutes) => "cancel_due",
            var a when a >= TimeSpan.FromMinutes(o.WarnAfterMinutes) => "warning",
            _ => "held",
        };
        return ApiResults.Ok(new Dictionary<string, object?>
        {
            ["name"] = DownloadKeys.Lease,
            ["state"] = state,
            ["held"] = holder is not null,
            ["holder"] = holder?.Holder,
            ["instance"] = holder is null ? null : InstanceOf(holder.Holder),
            ["epoch"] = epoch,
            ["holder_epoch"] = holder?.Epoch,
            ["acquired_at"] = holder is null ? null : ProgressFormat.EpochSeconds(holder.AcquiredAt),
            ["age_seconds"] = age is null ? null : Math.Round(age.Value.TotalSeconds, 3),
            ["remaining_ttl_seconds"] = holder is null ? null : Math.Round(holder.RemainingTtl.TotalSeconds, 3),
            ["current_task"] = current is not null && holder is not null && current.Holder == holder.Holder ? current : null,
            ["attempts"] = counters[LockStats.Names.Attempts],
            ["acquired"] = counters[LockStats.Names.Acquired],
            ["success_rate"] = SuccessRate(counters),
            ["timeout_rate"] = Ratio(counters[LockStats.Names.TimedOut] + counters[LockStats.Names.ForcedReleases], counters[LockStats.Names.Acquired]),
            ["average_hold_seconds"] = AverageSeconds(counters[LockStats.Names.HoldMsTotal], counters[LockStats.Names.Holds]),
            ["average_wait_seconds"] = AverageSeconds(counters[LockStats.Names.WaitMsTotal], counters[LockStats.Names.Acquired]),
            ["timeouts"] = Tiers(o),
        });
    }

    private static async Task<IResult> HeartbeatsAsync(Heartbeats heartbeats, CancellationToken ct)
    {
        var entries = await heartbeats.ListAsync(ct);
        var active = entries.Where(e => e.Beat is not null && e.Entry.EndedAt is null).Select(e => (object)e.Beat!).ToList();
        var dead = entries.Where(e => e.Beat is null && e.Entry.EndedAt is null).Select(e => (object)e.Entry).ToList();
        var ended = entries.Where(e => e.Entry.EndedAt is not null).Select(e => (object)e.Entry).Reverse().ToList();
        return ApiResults.Ok(new Dictionary<string, object?>
        {
            ["active"] = active,
            ["dead"] = dead,
            ["recent"] = ended,
            ["active_count"] = active.Count,
            ["dead_count"] = dead.Count,
        });
    }

    private static async Task<IResult> StatsAsync(LockStats stats, IOptions<DownloaderOptions> options, CancellationToken ct)
    {
        var counters = await stats.ReadAsync(ct);
        var data = new Dictionary<string, object?>();
        foreach (var (name, value) in counters) data[name] = value;
        data["success_rate"] = SuccessRate(counters);
        data["timeout_rate"] = Ratio(counters[LockStats.Names.TimedOut] + counters[LockStats.Names.ForcedReleases], counters[LockStats.Names.Acquired]);
        data["average_hold_seconds"] = AverageSeconds(counters[LockStats.Names.HoldMsTotal], counters[LockStats.Names.Holds]);
        data["average_wait_seconds"] = AverageSeconds(counters[LockStats.Names.WaitMsTotal], counters[LockStats.Names.Acquired]);
        data["timeouts"] = Tiers(options.Value.Monitoring);
        return ApiResults.Ok(data);
    }

    private static async Task<IResult> ReleaseAsync(HttpContext http, ILeaseLock leases, IFencingEpochs epochs, LockStats stats,
        IOptions<DownloaderOptions> options, ILoggerFactory logs, CancellationToken ct)
    {
        if (!MonitoringAuth.IsAuthorized(http.Request, options.Value.Monitoring))
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return ApiResults.Error(401, MonitoringAuth.UnauthorizedMessage);
        }
        var holder = await leases.GetHolderAsync(DownloadKeys.Lease, ct);
        var released = await leases.ForceReleaseAsync(DownloadKeys.Lease, ct);
        var epoch = await epochs.CurrentAsync(DownloadKeys.Lease, ct);
        if (released) await stats.AddAsync(LockStats.Names.ManualReleases);
        logs.CreateLogger("NasSav.Downloader.Monitoring").LogWarning(
            "Manual release of the download lease from {Remote}: {Released}, was held by {Holder} (epoch {Epoch}), current epoch now {Current}",
            http.Connection.RemoteIpAddress, released, holder?.Holder, holder?.Epoch, epoch);
        return ApiResults.Ok(new Dictionary<string, object?>
        {
            ["released"] = released,
            ["previous_holder"] = holder?.Holder,
            ["previous_epoch"] = holder?.Epoch,
            ["epoch"] = epoch,
        }, released ? "下载锁已释放" : "下载锁当前空闲");
    }

    private static Dictionary<string, object?> Tiers(MonitoringOptions o) => new()
    {
        ["warn_after_minutes"] = o.WarnAfterMinutes,
        ["cancel_after_minutes"] = o.CancelAfterMinutes,
        ["force_release_after_minutes"] = o.ForceReleaseAfterMinutes,
    };

    /// <summary>Completed over finished (completed, failed, timed out); cancels are the user's choice and not counted.</summary>
    private static double? SuccessRate(IReadOnlyDictionary<string, long> c) =>
        Ratio(c[LockStats.Names.Completed], c[LockStats.Names.Completed] + c[LockStats.Names.Failed] + c[LockStats.Names.TimedOut]);

    private static double? Ratio(long part, long whole) => whole <= 0 ? null : Math.Round((double)part / whole, 4);

    private static double? AverageSeconds(long totalMs, long count) => count <= 0 ? null : Math.Round(totalMs / 1000.0 / count, 3);

    private static string InstanceOf(string holder)
    {
        var colon = holder.LastIndexOf(':');
        return colon > 0 ? holder[..colon] : holder;
    }
}
