using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace NasSav.Coordination.Locking;

/// <summary>
/// What both lease locks share: the acquire loop (release notice or poll with backoff), the fencing epoch
/// taken on every acquisition, and the lease with its renewal watchdog. Subclasses supply the storage
/// primitives (Redis scripts, or a dictionary in the standalone host).
/// </summary>
public abstract class LeaseLockBase(IFencingEpochs epochs, IOptions<LeaseOptions> options, LeaseMetrics metrics, ILogger logger, TimeProvider? clock = null)
    : ILeaseLock
{
    private protected readonly ReleaseNotices Notices = new();
    protected LeaseOptions Options { get; } = options.Value;
    protected ILogger Logger { get; } = logger;
    internal ILogger LoggerFor => Logger;
    protected TimeProvider Clock { get; } = clock ?? TimeProvider.System;
    internal IFencingEpochs Epochs { get; } = epochs;
    internal LeaseMetrics Metrics { get; } = metrics;
    private long _attempts;
    private long _refused;

    /// <summary>Acquisition attempts by this instance so far (for monitoring), and how many found the lease taken.</summary>
    public long Attempts => Interlocked.Read(ref _attempts);
    public long RefusedAttempts => Interlocked.Read(ref _refused);

    /// <summary>SET NX PX: true when the lease was free and is now <paramref name="holder"/>'s.</summary>
    protected abstract Task<bool> TryClaimAsync(string name, string holder, TimeSpan ttl, CancellationToken ct);
    /// <summary>Stores epoch and acquisition time beside the lease and renews it, if still held by <paramref name="holder"/>.</summary>
    protected abstract Task<bool> RecordAsync(string name, string holder, long epoch, DateTimeOffset acquiredAt, TimeSpan ttl, CancellationToken ct);
    /// <summary>Compare-and-PEXPIRE: false when the lease is gone or someone else's (never re-creates it).</summary>
    protected internal abstract Task<bool> RenewAsync(string name, string holder, TimeSpan ttl, CancellationToken ct);
    /// <summary>Compare-and-DEL that also sends the release notice.</summary>
    protected internal abstract Task<bool> ReleaseAsync(string name, string holder, CancellationToken ct);
    /// <summary>Deletes whoever holds it and sends the release notice; true when there was a holder.</summary>
    protected abstract Task<bool> DeleteAsync(string name, CancellationToken ct);
    /// <summary>Makes sure release notices for <paramref name="name"/> reach <see cref="Notices"/>; failures mean polling only.</summary>
    protected virtual Task WatchReleasesAsync(string name, CancellationToken ct) => Task.CompletedTask;

    public abstract Task<LeaseHolder?> GetHolderAsync(string name, CancellationToken ct);

    public async Task<ILease> AcquireAsync(string name, string holder, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var lease = await WaitForAsync(name, holder, ct);
            Metrics.Waited(name, acquired: true, Stopwatch.GetElapsedTime(started));
            return lease;
        }
        catch (OperationCanceledException)
        {
            Metrics.Waited(name, acquired: false, Stopwatch.GetElapsedTime(started));
            throw;
        }
    }

    private async Task<ILease> WaitForAsync(string name, string holder, CancellationToken ct)
    {
        await WatchReleasesAsync(name, ct);
        var poll = Options.PollMin;
        while (true)
        {
            var notice = Notices.Next(name);
            ILease? lease;
            try
            {
                lease = await TryAcquireAsync(name, holder, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // The store is unreachable: keep waiting, as for a held lease; the caller's token bounds the wait.
                Logger.LogWarning("Acquiring lease {Lease} failed, retrying in {Delay} ms: {Error}", name, poll.TotalMilliseconds, ex.Message);
                lease = null;
            }
            if (lease is not null) return lease;
            using var wake = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var woke = await Task.WhenAny(notice, Task.Delay(poll, Clock, wake.Token));
            wake.Cancel(); // drop the timer when the notice came first
            ct.ThrowIfCancellationRequested();
            poll = woke == notice ? Options.PollMin : TimeSpan.FromTicks(Math.Min(poll.Ticks * 2, Options.PollMax.Ticks));
        }
    }

    public async Task<ILease?> TryAcquireAsync(string name, string holder, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(holder);
        var ttl = Options.LeaseTtl;
        Interlocked.Increment(ref _attempts);
        if (!await TryClaimAsync(name, holder, ttl, ct))
        {
            Interlocked.Increment(ref _refused);
            return null;
        }
        long epoch;
        try
        {
            epoch = await Epochs.NextAsync(name, holder, ct);
        }
        catch
        {
            await ReleaseQuietlyAsync(name, holder);
            throw;
        }
        var acquiredAt = Clock.GetUtcNow();
        var recorded = Stopwatch.GetTimestamp(); // before the renewal inside RecordAsync: its ttl starts no earlier
        if (!await RecordAsync(name, holder, epoch, acquiredAt, ttl, ct))
        {
            // The lease expired while the epoch was taken (a long pause): someone may hold it now. Not ours.
            Logger.LogWarning("Lease {Lease} expired during acquisition by {Holder} (epoch {Epoch})", name, holder, epoch);
            return null;
        }
        return new Lease(this, name, holder, epoch, acquiredAt, ttl, recorded);
    }

    public async Task<bool> ForceReleaseAsync(string name, CancellationToken ct)
    {
        // Epoch first: from here on the old holder's fenced actions are refused, even before its lease is gone.
        var epoch = await Epochs.NextAsync(name, "force-release", ct);
        var existed = await DeleteAsync(name, ct);
        Logger.LogWarning("Lease {Lease} force-released (had holder: {Existed}); epoch is now {Epoch}", name, existed, epoch);
        return existed;
    }

    internal async Task ReleaseQuietlyAsync(string name, string holder)
    {
        try
        {
            await ReleaseAsync(name, holder, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // It expires by itself within the ttl.
            Logger.LogWarning("Releasing lease {Lease} of {Holder} failed (it expires by itself): {Error}", name, holder, ex.Message);
        }
    }
}
