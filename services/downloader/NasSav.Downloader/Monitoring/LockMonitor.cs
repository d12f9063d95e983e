using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NasSav.Contracts.Downloads;
using NasSav.Downloader.Downloads;
using NasSav.Coordination.Locking;

namespace NasSav.Downloader.Monitoring;

public enum MonitorAction { None, NotActing, Warned, CancelRequested, ForceReleased }

/// <summary>
/// Tiered timeouts on how long the download lease has been held: warn, then ask the holder to stop (CancelDownload
/// with reason "lock-timeout"), then take the lease away (force release, which fences the holder off). Runs in every
/// downloader instance; only the holder of the short "download-monitor" lease acts, so each tier fires once.
/// </summary>
public sealed class LockMonitor(
    ILeaseLock leases, Heartbeats heartbeats, LockStats stats, IBus bus, IOptions<DownloaderOptions> options,
    TimeProvider clock, ILogger<LockMonitor> log) : BackgroundService
{
    private ILease? _acting;
    private long? _warnedEpoch;
    private long? _cancelledEpoch;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value.Monitoring;
        if (!o.Enabled) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(o.CheckIntervalSeconds), clock);
        try
        {
            do
            {
                try { await CheckOnceAsync(stoppingToken); }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogWarning(e, "Lock monitor check failed; next try in {Interval} s", o.CheckIntervalSeconds);
                }
            } while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        finally
        {
            if (_acting is not null) await _acting.DisposeAsync();
        }
    }

    /// <summary>One check: take (or keep) the monitor lease, then apply the tier the holder's age has reached.</summary>
    public async Task<MonitorAction> CheckOnceAsync(CancellationToken ct)
    {
        if (_acting is null || _acting.Lost.IsCancellationRequested)
        {
            if (_acting is not null) await _acting.DisposeAsync();
            _acting = await leases.TryAcquireAsync(DownloadKeys.MonitorLease, $"{options.Value.ResolveInstanceName()}:{Guid.NewGuid():N}", ct);
            if (_acting is null) return MonitorAction.NotActing;
        }

        var holder = await leases.GetHolderAsync(DownloadKeys.Lease, ct);
        if (holder is null) return MonitorAction.None;
        var o = options.Value.Monitoring;
        var age = clock.GetUtcNow() - holder.AcquiredAt;

        if (age >= TimeSpan.FromMinutes(o.ForceReleaseAfterMinutes))
        {
            var released = await leases.ForceReleaseAsync(DownloadKeys.Lease, ct);
            log.LogError("Download lease held by {Holder} (epoch {Epoch}) for {Age}: force released ({Released})", holder.Holder, holder.Epoch, age, released);
            if (released) await stats.AddAsync(LockStats.Names.ForcedReleases);
            return released ? MonitorAction.ForceReleased : MonitorAction.None;
        }
        if (age >= TimeSpan.FromMinutes(o.CancelAfterMinutes) && _cancelledEpoch != holder.Epoch)
        {
            var current = await heartbeats.CurrentAsync(ct);
            if (current is null || current.Holder != holder.Holder)
            {
                log.LogWarning("Download lease held by {Holder} for {Age} past the cancel limit, but no running task beats for it; waiting for the force release",
                    holder.Holder, age);
                return MonitorAction.None;
            }
            _cancelledEpoch = holder.Epoch;
            log.LogWarning("Download {TaskId} of {Avid} has held the lease for {Age}: asking it to stop", current.TaskId, current.Avid, age);
            await bus.Publish(new CancelDownload
            {
                CorrelationId = current.CorrelationId,
                Avid = current.Avid,
                TaskId = current.TaskId,
                Reason = CancelDownloadConsumer.TimeoutReason,
            }, ct);
            return MonitorAction.CancelRequested;
        }
        if (age >= TimeSpan.FromMinutes(o.WarnAfterMinutes) && _warnedEpoch != holder.Epoch)
        {
            _warnedEpoch = holder.Epoch;
            await stats.AddAsync(LockStats.Names.Warnings);
            log.LogWarning("Download lease held by {Holder} (epoch {Epoch}) for {Age}, past the warning limit of {Warn} min",
                holder.Holder, holder.Epoch, age, o.WarnAfterMinutes);
            return MonitorAction.Warned;
        }
        return MonitorAction.None;
    }
}
