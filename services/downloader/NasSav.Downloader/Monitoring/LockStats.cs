using System.Globalization;
using Microsoft.Extensions.Logging;
using NasSav.Downloader.Downloads;
using NasSav.Coordination;

namespace NasSav.Downloader.Monitoring;

/// <summary>
/// Cluster-wide counters of the download lease, kept in the shared store so every instance's monitoring API
/// answers the same. Only the active download consumer and the single acting monitor write them.
/// </summary>
public sealed class LockStats(IExpiringStore store, ILogger<LockStats> log)
{
    private static readonly TimeSpan Ttl = TimeSpan.FromDays(30);

    public static class Names
    {
        public const string Attempts = "attempts";
        public const string Acquired = "acquired";
        public const string Completed = "completed";
        public const string Failed = "failed";
        public const string Cancelled = "cancelled";
        public const string TimedOut = "timed_out";
        public const string LeaseLost = "lease_lost";
        public const string StaleRefused = "stale_refused";
        public const string Warnings = "warnings";
        public const string ForcedReleases = "forced_releases";
        public const string ManualReleases = "manual_releases";
        public const string WaitMsTotal = "wait_ms_total";
        public const string Holds = "holds";
        public const string HoldMsTotal = "hold_ms_total";

        public static readonly string[] All =
        [
            Attempts, Acquired, Completed, Failed, Cancelled, TimedOut, LeaseLost, StaleRefused, Warnings,
            ForcedReleases, ManualReleases, WaitMsTotal, Holds, HoldMsTotal,
        ];
    }

    /// <summary>Statistics never fail a download: a store error is logged and the count lost.</summary>
    public async Task AddAsync(string name, long by = 1)
    {
        try { await store.IncrementAsync(DownloadKeys.Stat(name), by, Ttl); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Could not count lock statistic {Name}", name);
        }
    }

    public async Task<IReadOnlyDictionary<string, long>> ReadAsync(CancellationToken ct)
    {
        var values = await store.GetManyAsync(Names.All.Select(DownloadKeys.Stat).ToList(), ct);
        return Names.All.ToDictionary(n => n, n =>
            values.TryGetValue(DownloadKeys.Stat(n), out var v) && long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var x) ? x : 0);
    }
}
