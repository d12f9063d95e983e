using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NasSav.Coordination.Locking;
using StackExchange.Redis;

namespace NasSav.Coordination.Redis;

/// <summary>
/// The lease in Redis: <c>{prefix}{name}</c> = holder (<c>SET NX PX</c>), <c>{prefix}{name}:info</c> = a hash
/// with holder, epoch and acquired_at under the same ttl, and release notices on <c>{prefix}{name}:released</c>.
/// </summary>
public sealed class RedisLeaseLock : LeaseLockBase
{
    private const string Record = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          redis.call('HSET', KEYS[2], 'holder', ARGV[1], 'epoch', ARGV[2], 'acquired_at', ARGV[3])
          redis.call('PEXPIRE', KEYS[1], ARGV[4])
          redis.call('PEXPIRE', KEYS[2], ARGV[4])
          return 1
        end
        return 0
        """;

    // Compare-and-PEXPIRE: an expired lease is never re-created (unlike RedLock.net's Extend.lua).
    private const string Renew = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          redis.call('PEXPIRE', KEYS[2], ARGV[2])
          return 1
        end
        return 0
        """;

    private const string Release = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          redis.call('DEL', KEYS[1], KEYS[2])
          redis.call('PUBLISH', KEYS[3], ARGV[1])
          return 1
        end
        return 0
        """;

    private const string Delete = """
        local n = redis.call('DEL', KEYS[1])
        redis.call('DEL', KEYS[2])
        redis.call('PUBLISH', KEYS[3], '')
        return n
        """;

    private const string Read = """
        local v = redis.call('GET', KEYS[1])
        if not v then return false end
        return {v, redis.call('PTTL', KEYS[1]), redis.call('HGETALL', KEYS[2])}
        """;

    private readonly IConnectionMultiplexer _redis;
    private readonly ConcurrentDictionary<string, Lazy<Task>> _watched = new(StringComparer.Ordinal);

    public RedisLeaseLock(IConnectionMultiplexer redis, IFencingEpochs epochs, IOptions<LeaseOptions> options, LeaseMetrics metrics,
        ILogger<RedisLeaseLock> logger, TimeProvider? clock = null)
        : base(epochs, options, metrics, logger, clock)
    {
        _redis = redis;
        // Notices published while a connection was down are lost (StackExchange.Redis re-subscribes on its own,
        // but does not replay): on every (re)established connection, wake every waiter to look again.
        _redis.ConnectionRestored += (_, _) => Notices.SignalAll();
    }

    private IDatabase Db => _redis.GetDatabase();
    private string Key(string name) => Options.KeyPrefix + name;
    private RedisKey[] Keys(string name) => [Key(name), Key(name) + ":info", Key(name) + ":released"];
    private RedisChannel Channel(string name) => RedisChannel.Literal(Key(name) + ":released");

    private async Task<RedisResult> EvalAsync(string script, RedisKey[] keys, RedisValue[] args, CancellationToken ct) =>
        await Db.ScriptEvaluateAsync(script, keys, args).WaitAsync(ct);

    protected override Task<bool> TryClaimAsync(string name, string holder, TimeSpan ttl, CancellationToken ct) =>
        Db.StringSetAsync(Key(name), holder, ttl, When.NotExists).WaitAsync(ct);

    protected override async Task<bool> RecordAsync(string name, string holder, long epoch, DateTimeOffset acquiredAt, TimeSpan ttl, CancellationToken ct) =>
        (long)await EvalAsync(Record, Keys(name)[..2], [holder, epoch, acquiredAt.ToUnixTimeMilliseconds(), Milliseconds(ttl)], ct) == 1;

    protected internal override async Task<bool> RenewAsync(string name, string holder, TimeSpan ttl, CancellationToken ct) =>
        (long)await EvalAsync(Renew, Keys(name)[..2], [holder, Milliseconds(ttl)], ct) == 1;

    protected internal override async Task<bool> ReleaseAsync(string name, string holder, CancellationToken ct) =>
        (long)await EvalAsync(Release, Keys(name), [holder], ct) == 1;

    protected override async Task<bool> DeleteAsync(string name, CancellationToken ct) =>
        (long)await EvalAsync(Delete, Keys(name), [], ct) > 0;

    public override async Task<LeaseHolder?> GetHolderAsync(string name, CancellationToken ct)
    {
        var answer = await EvalAsync(Read, Keys(name)[..2], [], ct);
        if (answer.IsNull || answer.Resp2Type != ResultType.Array) return null;
        var parts = (RedisResult[])answer!;
        var holder = (string)parts[0]!;
        var ttl = TimeSpan.FromMilliseconds(Math.Max(0, (long)parts[1]));
        var info = parts[2].ToDictionary();
        var epoch = info.TryGetValue("epoch", out var e) && long.TryParse((string?)e, CultureInfo.InvariantCulture, out var n) ? n : 0;
        var acquired = info.TryGetValue("acquired_at", out var a) && long.TryParse((string?)a, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : Clock.GetUtcNow(); // claimed a moment ago, details not yet recorded
        return new LeaseHolder(name, holder, epoch, acquired, ttl);
    }

    /// <summary>One subscription per lease name for the life of the process; waiters share it through <see cref="LeaseLockBase.Notices"/>.</summary>
    protected override async Task WatchReleasesAsync(string name, CancellationToken ct)
    {
        var watch = _watched.GetOrAdd(name, n => new Lazy<Task>(() =>
            _redis.GetSubscriber().SubscribeAsync(Channel(n), (_, _) => Notices.Signal(n))));
        try
        {
            await watch.Value.WaitAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            _watched.TryRemove(new KeyValuePair<string, Lazy<Task>>(name, watch)); // try again next time
            Logger.LogWarning("Release notices for lease {Lease} unavailable, polling only: {Error}", name, ex.Message);
        }
    }

    private static long Milliseconds(TimeSpan t) => Math.Max(1, (long)Math.Ceiling(t.TotalMilliseconds));
}
