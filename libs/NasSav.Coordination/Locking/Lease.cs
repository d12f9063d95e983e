using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace NasSav.Coordination.Locking;

/// <summary>
/// A held lease and its renewal loop (every ttl/3). <see cref="Lost"/> is cancelled when a renewal finds
/// the lease gone, or when no renewal has succeeded for a whole ttl on a local monotonic clock: by then the
/// server may have let it expire and someone else may hold it (Medallion's LeaseMonitor rule).
/// </summary>
internal sealed class Lease : ILease
{
    private readonly LeaseLockBase _owner;
    private readonly TimeSpan _ttl;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewals;
    private long _lastRenewal; // Stopwatch timestamp taken before sending the last successful renewal
    private readonly long _heldSince;
    private int _disposed;

    public Lease(LeaseLockBase owner, string name, string holder, long epoch, DateTimeOffset acquiredAt, TimeSpan ttl, long renewedAt)
    {
        _owner = owner;
        Name = name;
        Holder = holder;
        Epoch = epoch;
        AcquiredAt = acquiredAt;
        _ttl = ttl;
        _lastRenewal = renewedAt;
        _heldSince = renewedAt;
        Lost = _lost.Token;
        _renewals = Task.Run(() => RenewLoopAsync(_stop.Token));
    }

    public string Name { get; }
    public string Holder { get; }
    public long Epoch { get; }
    public DateTimeOffset AcquiredAt { get; }
    public CancellationToken Lost { get; }

    private async Task RenewLoopAsync(CancellationToken stop)
    {
        var interval = _ttl / 3;
        while (!stop.IsCancellationRequested)
        {
            var left = _ttl - Stopwatch.GetElapsedTime(Volatile.Read(ref _lastRenewal));
            if (left <= TimeSpan.Zero)
            {
                MarkLost($"no renewal succeeded for {_ttl.TotalSeconds:0.###} s");
                return;
            }
            try
            {
                await Task.Delay(interval < left ? interval : left, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            left = _ttl - Stopwatch.GetElapsedTime(Volatile.Read(ref _lastRenewal));
            if (left <= TimeSpan.Zero) continue;
            var attempt = Stopwatch.GetTimestamp();
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
            deadline.CancelAfter(left); // a hung renewal must not hold the watchdog past the ttl
            try
            {
                if (await _owner.RenewAsync(Name, Holder, _ttl, deadline.Token))
                {
                    Volatile.Write(ref _lastRenewal, attempt);
                }
                else
                {
                    MarkLost("the lease is gone or held by someone else");
                    return;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _owner.LoggerFor.LogWarning("Renewing lease {Lease} (epoch {Epoch}) failed: {Error}", Name, Epoch, ex.Message);
            }
        }
    }

    private void MarkLost(string why)
    {
        _owner.LoggerFor.LogWarning("Lease {Lease} of {Holder} (epoch {Epoch}) lost: {Reason}", Name, Holder, Epoch, why);
        _owner.Metrics.Held(Name, lost: true, Stopwatch.GetElapsedTime(_heldSince));
        try { _lost.Cancel(); }
        catch (AggregateException ex) { _owner.LoggerFor.LogWarning(ex, "A Lost callback of lease {Lease} failed", Name); }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _stop.Cancel();
        await _renewals;
        if (!_lost.IsCancellationRequested) _owner.Metrics.Held(Name, lost: false, Stopwatch.GetElapsedTime(_heldSince));
        await _owner.ReleaseQuietlyAsync(Name, Holder); // compare-and-delete: harmless if it is no longer ours
        _stop.Dispose();
    }
}
