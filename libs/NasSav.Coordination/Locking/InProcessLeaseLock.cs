using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace NasSav.Coordination.Locking;

/// <summary>
/// The standalone host's lease (no Redis): the same semantics in process memory, expiry on a monotonic
/// clock, release notices delivered directly, epochs from the same durable <see cref="IFencingEpochs"/>.
/// </summary>
public sealed class InProcessLeaseLock(IFencingEpochs epochs, IOptions<LeaseOptions> options, LeaseMetrics metrics,
        ILogger<InProcessLeaseLock> logger, TimeProvider? clock = null)
    : LeaseLockBase(epochs, options, metrics, logger, clock)
{
    private readonly Dictionary<string, Entry> _leases = new(StringComparer.Ordinal);

    private sealed class Entry(string holder, long expiresAt)
    {
        public string Holder { get; } = holder;
        public long ExpiresAt { get; set; } = expiresAt;
        public long Epoch { get; set; }
        public DateTimeOffset? AcquiredAt { get; set; }
        public bool Expired => Stopwatch.GetTimestamp() >= ExpiresAt;
    }

    private static long Deadline(TimeSpan ttl) => Stopwatch.GetTimestamp() + (long)(ttl.TotalSeconds * Stopwatch.Frequency);

    private Entry? Live(string name) => _leases.TryGetValue(name, out var e) && !e.Expired ? e : null;

    protected override Task<bool> TryClaimAsync(string name, string holder, TimeSpan ttl, CancellationToken ct)
    {
        lock (_leases)
        {
            if (Live(name) is not null) return Task.FromResult(false);
            _leases[name] = new Entry(holder, Deadline(ttl));
            return Task.FromResult(true);
        }
    }

    protected override Task<bool> RecordAsync(string name, string holder, long epoch, DateTimeOffset acquiredAt, TimeSpan ttl, CancellationToken ct)
    {
        lock (_leases)
        {
            if (Live(name) is not { } e || e.Holder != holder) return Task.FromResult(false);
            e.Epoch = epoch;
            e.AcquiredAt = acquiredAt;
            e.ExpiresAt = Deadline(ttl);
            return Task.FromResult(true);
        }
    }

    protected internal override Task<bool> RenewAsync(string name, string holder, TimeSpan ttl, CancellationToken ct)
    {
        lock (_leases)
        {
            if (Live(name) is not { } e || e.Holder != holder) return Task.FromResult(false);
            e.ExpiresAt = Deadline(ttl);
            return Task.FromResult(true);
        }
    }

    protected internal override Task<bool> ReleaseAsync(string name, string holder, CancellationToken ct)
    {
        lock (_leases)
        {
            if (Live(name) is not { } e || e.Holder != holder) return Task.FromResult(false);
            _leases.Remove(name);
        }
        Notices.Signal(name);
        return Task.FromResult(true);
    }

    protected override Task<bool> DeleteAsync(string name, CancellationToken ct)
    {
        bool existed;
        lock (_leases)
        {
            existed = Live(name) is not null;
            _leases.Remove(name);
        }
        Notices.Signal(name);
        return Task.FromResult(existed);
    }

    public override Task<LeaseHolder?> GetHolderAsync(string name, CancellationToken ct)
    {
        lock (_leases)
        {
            if (Live(name) is not { } e) return Task.FromResult<LeaseHolder?>(null);
            var left = TimeSpan.FromSeconds((double)(e.ExpiresAt - Stopwatch.GetTimestamp()) / Stopwatch.Frequency);
            return Task.FromResult<LeaseHolder?>(new LeaseHolder(name, e.Holder, e.Epoch, e.AcquiredAt ?? Clock.GetUtcNow(), left));
        }
    }

}
