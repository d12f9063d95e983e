using System.Collections.Concurrent;
using System.Diagnostics;

namespace NasSav.ServiceDefaults.Shared;

/// <summary>
/// <see cref="IExpiringStore"/> in process memory for the standalone host. Expired entries are dropped when
/// read and swept on writes now and then, so a key written once and never read does not stay forever.
/// </summary>
public sealed class InProcessExpiringStore : IExpiringStore
{
    private readonly ConcurrentDictionary<string, (string Value, long ExpiresAt)> _entries = new(StringComparer.Ordinal);
    private int _writes;

    public Task<string?> GetAsync(string key, CancellationToken ct = default) => Task.FromResult(Read(key));

    public Task SetAsync(string key, string value, TimeSpan ttl, CancellationToken ct = default)
    {
        if (ttl <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(ttl), ttl, "a time to live must be positive");
        _entries[key] = (value, Stopwatch.GetTimestamp() + (long)(ttl.TotalSeconds * Stopwatch.Frequency));
        if (Interlocked.Increment(ref _writes) % 1024 == 0) Sweep();
        return Task.CompletedTask;
    }

    public Task<bool> DeleteAsync(string key, CancellationToken ct = default) =>
        Task.FromResult(_entries.TryRemove(key, out var e) && e.ExpiresAt > Stopwatch.GetTimestamp());

    public Task<IReadOnlyDictionary<string, string>> GetManyAsync(IReadOnlyCollection<string> keys, CancellationToken ct = default)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in keys)
            if (Read(key) is { } v) result[key] = v;
        return Task.FromResult<IReadOnlyDictionary<string, string>>(result);
    }

    private string? Read(string key)
    {
        if (!_entries.TryGetValue(key, out var e)) return null;
        if (e.ExpiresAt > Stopwatch.GetTimestamp()) return e.Value;
        _entries.TryRemove(new KeyValuePair<string, (string, long)>(key, e));
        return null;
    }

    private void Sweep()
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var (key, e) in _entries)
            if (e.ExpiresAt <= now) _entries.TryRemove(new KeyValuePair<string, (string, long)>(key, e));
    }
}
