namespace NasSav.Coordination.Locking;

/// <summary>
/// A named lease held by at most one holder cluster-wide (Redis <c>SET NX PX</c>, or in-process in the
/// standalone host). Waiters wake on the release notice and also poll with backoff in case it is missed.
/// Every acquisition carries a fencing epoch from a durable store, strictly greater than every earlier one.
/// </summary>
public interface ILeaseLock
{
    /// <summary>Waits until the lease is ours or <paramref name="ct"/> is cancelled.</summary>
    /// <param name="holder">Who asks, e.g. "{instance}:{attempt}"; stored as the lease value.</param>
    Task<ILease> AcquireAsync(string name, string holder, CancellationToken ct);

    /// <summary>One attempt; null when someone else holds it.</summary>
    Task<ILease?> TryAcquireAsync(string name, string holder, CancellationToken ct);

    /// <summary>The current holder, or null when the lease is free.</summary>
    Task<LeaseHolder?> GetHolderAsync(string name, CancellationToken ct);

    /// <summary>Removes the lease whoever holds it and bumps the epoch so the old holder is fenced off.</summary>
    Task<bool> ForceReleaseAsync(string name, CancellationToken ct);
}

/// <summary>A held lease. Renewed in the background every ttl/3; disposing releases it (compare-and-delete).</summary>
public interface ILease : IAsyncDisposable
{
    string Name { get; }
    string Holder { get; }
    long Epoch { get; }
    DateTimeOffset AcquiredAt { get; }
    /// <summary>Cancelled when a renewal finds the lease gone or no renewal has succeeded for a whole ttl.</summary>
    CancellationToken Lost { get; }
}

public sealed record LeaseHolder(string Name, string Holder, long Epoch, DateTimeOffset AcquiredAt, TimeSpan RemainingTtl);

/// <summary>Durable, monotonic fencing epochs per lease name, and the check-and-act that uses them.</summary>
public interface IFencingEpochs
{
    /// <summary>Takes the next epoch for <paramref name="name"/> and makes it the current one.</summary>
    Task<long> NextAsync(string name, string holder, CancellationToken ct);

    Task<long> CurrentAsync(string name, CancellationToken ct);

    /// <summary>
    /// Runs <paramref name="action"/> only while <paramref name="epoch"/> is still current, holding the
    /// epoch row locked so no newer claimant can take over in between. False (action not run) when stale.
    /// </summary>
    Task<bool> RunIfCurrentAsync(string name, long epoch, Func<CancellationToken, Task> action, CancellationToken ct);
}
