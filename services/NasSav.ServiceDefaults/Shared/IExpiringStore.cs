namespace NasSav.ServiceDefaults.Shared;

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

    /// <summary>
    /// Adds <paramref name="by"/> to an integer counter (missing = 0) and (re)sets its time to live; returns the new value.
    /// The default reads then writes, which is only safe with one writer at a time (the downloader's lock statistics
    /// are written by the single active download consumer and the single monitor); a Redis implementation should
    /// override it with INCRBY + PEXPIRE.
    /// </summary>
    async Task<long> IncrementAsync(string key, long by, TimeSpan ttl, CancellationToken ct = default)
    {
        var current = await GetAsync(key, ct);
        var value = (long.TryParse(current, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0) + by;
        await SetAsync(key, value.ToString(System.Globalization.CultureInfo.InvariantCulture), ttl, ct);
        return value;
    }
}
