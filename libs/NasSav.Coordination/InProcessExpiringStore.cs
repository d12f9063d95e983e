using System.Collections.Concurrent;
using System.Globalization;

namespace NasSav.Coordination;

/// <summary>
/// <see cref="IExpiringStore"/> in process memory, for the standalone host (every module in one process
/// shares the singleton). Expired entries are dropped when read and swept on writes.
/// </summary>
public sealed class InProcessExpiringStore(TimeProvider clock) : IExpiringStore
{
    private readonly ConcurrentDictionary<string, (string Value, DateTimeOffset Expires)> _entries = new(StringComparer.Ordinal);
    private long _writes;

    public Task<string?> GetAsync(string key, CancellationToken ct = default) => Task.FromResult(Read(key));

    public Task SetAsync(string key, string value, TimeSpan ttl, CancellationToken ct = default)
    {
        if (ttl <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(ttl), ttl, "the time to live must be positive");
        _entries[key] = (value, clock.GetUtcNow() + ttl);
        // A sweep now and then keeps keys nobody reads again from piling up.
        if (Interlocked.Increment(ref _writes) % 1024 == 0) Sweep();
        return Task.CompletedTask;
    }

    public Task<long> IncrementAsync(string key, long by, TimeSpan ttl, CancellationToken ct = default)
    {
        if (ttl <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(ttl), ttl, "the time to live must be positive");
        var expires = clock.GetUtcNow() + ttl;
        var entry = _entries.AddOrUpdate(key,
            _ => (by.ToString(CultureInfo.InvariantCulture), expires),
            (_, old) => ((old.Expires > clock.GetUtcNow() && long.TryParse(old.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n + by : by)
                .ToString(CultureInfo.InvariantCulture), expires));
        return Task.FromResult(long.Parse(entry.Value, CultureInfo.InvariantCulture));
    }

    public Task<bool> DeleteAsync(string key, CancellationToken ct = default) =>
        Task.FromResult(_entries.TryRemove(key, out var entry) && entry.Expires > clock.GetUtcNow());

    public Task<IReadOnlyDictionary<string, string>> GetManyAsync(IReadOnlyCollection<string> keys, CancellationToken ct = default)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in keys)
            if (Read(key) is { } value) found[key] = value;
        return Task.FromResult<IReadOnlyDictionary<string, string>>(found);
    }

    private string? Read(string key)
    {
        if (!_entries.TryGetValue(key, out var entry)) return null;
        if (entry.Expires > clock.GetUtcNow()) return entry.Value;
        _entries.TryRemove(KeyValuePair.Create(key, entry));
        return null;
    }

    private void Sweep()
    {
        var now = clock.GetUtcNow();
        foreach (var pair in _entries)
            if (pair.Value.Expires <= now) _entries.TryRemove(pair);
    }
}
