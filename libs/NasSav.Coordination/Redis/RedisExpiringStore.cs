using StackExchange.Redis;

namespace NasSav.Coordination.Redis;

/// <summary><see cref="IExpiringStore"/> on Redis: SET PX, GET, MGET, DEL, and INCRBY + PEXPIRE in one script.</summary>
public sealed class RedisExpiringStore(IConnectionMultiplexer redis) : IExpiringStore
{
    private const string Increment = """
        local v = redis.call('INCRBY', KEYS[1], ARGV[1])
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return v
        """;

    private IDatabase Db => redis.GetDatabase();

    public async Task<long> IncrementAsync(string key, long by, TimeSpan ttl, CancellationToken ct = default)
    {
        PositiveTtl(ttl);
        var result = await Db.ScriptEvaluateAsync(Increment, [key], [by, (long)Math.Ceiling(ttl.TotalMilliseconds)]).WaitAsync(ct);
        return (long)result;
    }

    public async Task<string?> GetAsync(string key, CancellationToken ct = default) => await Db.StringGetAsync(key).WaitAsync(ct);

    public Task SetAsync(string key, string value, TimeSpan ttl, CancellationToken ct = default)
    {
        PositiveTtl(ttl);
        return Db.StringSetAsync(key, value, ttl).WaitAsync(ct);
    }

    public Task<bool> DeleteAsync(string key, CancellationToken ct = default) => Db.KeyDeleteAsync(key).WaitAsync(ct);

    public async Task<IReadOnlyDictionary<string, string>> GetManyAsync(IReadOnlyCollection<string> keys, CancellationToken ct = default)
    {
        var distinct = keys.Distinct(StringComparer.Ordinal).ToList();
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (distinct.Count == 0) return result;
        var values = await Db.StringGetAsync([.. distinct.Select(k => (RedisKey)k)]).WaitAsync(ct);
        for (var i = 0; i < distinct.Count; i++)
            if (!values[i].IsNull) result[distinct[i]] = values[i]!;
        return result;
    }

    private static void PositiveTtl(TimeSpan ttl)
    {
        if (ttl <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(ttl), ttl, "a time to live must be positive");
    }
}
