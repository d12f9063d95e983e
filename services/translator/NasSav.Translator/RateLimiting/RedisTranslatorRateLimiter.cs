using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace NasSav.Translator.RateLimiting;

/// <summary>
/// The engine's rate shared by every translator instance on one Redis: GCRA in one script on the key
/// <c>{Translator:RedisKeyPrefix}rate:{engine}</c>, which holds the theoretical arrival time (TAT, ms on the
/// Redis clock). Each call reserves the next slot and says how long to wait for it, so waiting instances
/// need no polling and are served in reservation order. In any window of W, at most Burst + W × rate
/// requests go out, cluster-wide. A waiter cancelled after reserving leaves its slot unused (the rate can
/// only be under-used). While Redis cannot be reached the instance falls back to its in-process bucket
/// (the same limit, per instance) rather than failing translations.
/// </summary>
public sealed class RedisTranslatorRateLimiter : ITranslationRateLimiter
{
    // ARGV: interval ms, burst, manual (1 = the clock is KEYS[2], advanced only by Replenish).
    // Returns {wait ms, allowed-at ms} as strings (Lua numbers would be truncated to integers).
    private const string Reserve = """
        local now
        if ARGV[3] == '1' then
          now = tonumber(redis.call('GET', KEYS[2]))
          if not now then
            local t = redis.call('TIME')
            now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            redis.call('SET', KEYS[2], now, 'PX', 3600000)
          end
        else
          local t = redis.call('TIME')
          now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
        end
        local interval = tonumber(ARGV[1])
        local tolerance = interval * (tonumber(ARGV[2]) - 1)
        local tat = tonumber(redis.call('GET', KEYS[1])) or now
        if tat < now then tat = now end
        local allowed = tat - tolerance
        if allowed < now then allowed = now end
        local next_tat = tat + interval
        redis.call('SET', KEYS[1], string.format('%.3f', next_tat), 'PX', math.ceil(next_tat - now) + 1000)
        return {string.format('%.3f', allowed - now), string.format('%.3f', allowed)}
        """;

    // Test knob (RateLimitAutoReplenish=false): the shared clock moves to the Redis time only when asked.
    private const string Advance = """
        local t = redis.call('TIME')
        redis.call('SET', KEYS[1], tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000), 'PX', 3600000)
        return 1
        """;

    private static readonly TimeSpan ManualPoll = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan WarnEvery = TimeSpan.FromMinutes(1);

    private readonly IConnectionMultiplexer _redis;
    private readonly TranslatorRateLimiter _fallback;
    private readonly TimeProvider _time;
    private readonly ILogger<RedisTranslatorRateLimiter> _logger;
    private readonly string _interval;
    private readonly int _burst;
    private readonly bool _manual;
    private long _lastWarning = long.MinValue;
    private long _reserved;
    private long _fallbacks;

    public RedisTranslatorRateLimiter(IConnectionMultiplexer redis, TranslatorRateLimiter fallback, IOptions<TranslatorOptions> options, TimeProvider time,
        ILogger<RedisTranslatorRateLimiter> logger)
    {
        _redis = redis;
        _fallback = fallback;
        _time = time;
        _logger = logger;
        var o = options.Value;
        var engine = o.ActiveEngine ?? new EngineOptions();
        Key = o.RedisKeyPrefix + "rate:" + o.Active;
        ClockKey = Key + ":clock";
        _interval = (60_000 / Math.Max(0.001, engine.RequestsPerMinute)).ToString("0.###", CultureInfo.InvariantCulture);
        _burst = Math.Max(1, engine.Burst);
        _manual = !o.RateLimitAutoReplenish;
    }

    public string Key { get; }
    public string ClockKey { get; }
    /// <summary>Slots this instance reserved in Redis.</summary>
    public long Reserved => Interlocked.Read(ref _reserved);
    /// <summary>Requests that went through the in-process bucket because Redis could not be reached.</summary>
    public long Fallbacks => Interlocked.Read(ref _fallbacks);

    public async ValueTask WaitTurnAsync(CancellationToken ct)
    {
        double wait, allowedAt;
        try
        {
            var answer = (RedisResult[])(await _redis.GetDatabase().ScriptEvaluateAsync(Reserve, [Key, ClockKey], [_interval, _burst, _manual ? 1 : 0]).WaitAsync(ct))!;
            wait = double.Parse((string)answer[0]!, CultureInfo.InvariantCulture);
            allowedAt = double.Parse((string)answer[1]!, CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when ((ex is RedisException or TimeoutException) && !ct.IsCancellationRequested)
        {
            Interlocked.Increment(ref _fallbacks);
            WarnNowAndThen(ex);
            await _fallback.WaitTurnAsync(ct);
            return;
        }
        Interlocked.Increment(ref _reserved);
        if (wait <= 0) return;
        if (_manual) await WaitForClockAsync(allowedAt, ct);
        else await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(wait)), _time, ct);
    }

    /// <summary>Test knob: moves the shared clock to now (tokens for the time elapsed), as TokenBucketRateLimiter.TryReplenish.</summary>
    public async Task ReplenishAsync(CancellationToken ct = default) => await _redis.GetDatabase().ScriptEvaluateAsync(Advance, [ClockKey]).WaitAsync(ct);

    private async Task WaitForClockAsync(double allowedAt, CancellationToken ct)
    {
        while (true)
        {
            var clock = await _redis.GetDatabase().StringGetAsync(ClockKey).WaitAsync(ct);
            if (!clock.IsNull && double.Parse((string)clock!, CultureInfo.InvariantCulture) >= allowedAt) return;
            await Task.Delay(ManualPoll, _time, ct);
        }
    }

    private void WarnNowAndThen(Exception ex)
    {
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lastWarning);
        if (last != long.MinValue && _time.GetElapsedTime(last, now) < WarnEvery) return;
        if (Interlocked.CompareExchange(ref _lastWarning, now, last) != last) return;
        _logger.LogWarning("Redis unavailable for the shared rate limit {Key}; this instance limits itself until it is back: {Error}", Key, ex.Message);
    }
}
