namespace NasSav.Coordination;

/// <summary>
/// Small values shared by every instance with a time to live: Redis when configured, process memory in the
/// standalone host. Used for download progress snapshots, heartbeats and shared caches.
/// </summary>
public interface IExpiringStore
{
    Task<string?> GetAsync(string key, CancellationToken ct = default);
    Task SetAsync(string key, string value, TimeSpan ttl, CancellationToken ct = default);
    Task<bool> DeleteAsync(string key, CancellationToken ct = default);
    /// <summary>Values for many keys in one round trip; missing keys are absent from the result.</summary>
    Task<IReadOnlyDictionary<string, string>> GetManyAsync(IReadOnlyCollection<string> keys, CancellationToken ct = default);

    /// <summary>Adds <paramref name="by"/> to an integer counter (missing = 0) atomically and (re)sets its time to live; returns the new value.</summary>
    Task<long> IncrementAsync(string key, long by, TimeSpan ttl, CancellationToken ct = default);
}
