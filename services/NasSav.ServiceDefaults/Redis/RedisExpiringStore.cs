using NasSav.ServiceDefaults.Shared;

namespace NasSav.ServiceDefaults.Redis;

/// <summary><see cref="IExpiringStore"/> on Redis: SET PX, GET, MGET, DEL, and INCRBY + PEXPIRE in one script.</summary>
public sealed class RedisExpiringStore(RedisClient redis) : IExpiringStore
{
    private static readonly RedisScript Increment = new("expiring-increment", """
        local v = redis.call('INCRBY', KEYS[1], ARGV[1])
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return v
        """);

    public async Task<long> IncrementAsync(string key, long by, TimeSpan ttl, CancellationToken ct = default)
    {
        if (ttl <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(ttl), ttl, "a time to live must be positive");
        return (await redis.EvalAsync(Increment, [key], [by, (long)Math.Ceiling(ttl.TotalMilliseconds)], ct)).AsInteger();
    }

    public Task<string?> GetAsync(string key, CancellationToken ct = default) => redis.GetAsync(key, ct);

    public Task SetAsync(string key, string value, TimeSpan ttl, CancellationToken ct = default)
    {
        if (ttl <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(ttl), ttl, "a time to live must be positive");
        return redis.SetAsync(key, value, ttl, ct: ct);
    }

    public async Task<bool> DeleteAsync(string key, CancellationToken ct = default) => await redis.DelAsync([key], ct) > 0;

    public async Task<IReadOnlyDictionary<string, string>> GetManyAsync(IReadOnlyCollection<string> keys, CancellationToken ct = default)
    {
        var distinct = keys.Distinct(StringComparer.Ordinal).ToList();
        var values = await redis.MGetAsync(distinct, ct);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < distinct.Count; i++)
            if (values[i] is { } v) result[distinct[i]] = v;
        return result;
    }
}
