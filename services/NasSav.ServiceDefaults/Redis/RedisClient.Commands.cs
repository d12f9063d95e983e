using System.Runtime.CompilerServices;
using System.Text;

namespace NasSav.ServiceDefaults.Redis;

/// <summary>The commands NasSav uses, typed. Keys are strings; values UTF-8 strings or bytes.</summary>
public sealed partial class RedisClient
{
    public async Task<string> PingAsync(CancellationToken ct = default) => (await ExecuteAsync("PING", [], ct).ConfigureAwait(false)).AsString()!;

    public async Task<string?> GetAsync(string key, CancellationToken ct = default) => (await ExecuteAsync("GET", [key], ct).ConfigureAwait(false)).AsString();

    public async Task<byte[]?> GetBytesAsync(string key, CancellationToken ct = default) => (await ExecuteAsync("GET", [key], ct).ConfigureAwait(false)).Bytes;

    /// <summary>SET with an optional expiry (sent as PX) and NX; false when NX found the key taken.</summary>
    public Task<bool> SetAsync(string key, string value, TimeSpan? expiry = null, bool onlyIfAbsent = false, CancellationToken ct = default) =>
        SetAsync(key, Encoding.UTF8.GetBytes(value), expiry, onlyIfAbsent, ct);

    public async Task<bool> SetAsync(string key, byte[] value, TimeSpan? expiry = null, bool onlyIfAbsent = false, CancellationToken ct = default)
    {
        var args = new List<object> { key, value };
        if (expiry is { } e) args.AddRange(["PX", Milliseconds(e)]);
        if (onlyIfAbsent) args.Add("NX");
        return !(await ExecuteAsync("SET", args, ct).ConfigureAwait(false)).IsNull;
    }

    /// <summary>Values in the order of <paramref name="keys"/>; null where a key is missing.</summary>
    public async Task<IReadOnlyList<string?>> MGetAsync(IReadOnlyCollection<string> keys, CancellationToken ct = default)
    {
        if (keys.Count == 0) return [];
        var answer = await ExecuteAsync("MGET", keys.Cast<object>().ToList(), ct).ConfigureAwait(false);
        return answer.AsArray().Select(v => v.AsString()).ToList();
    }

    public async Task<long> DelAsync(params string[] keys) => await DelAsync(keys, CancellationToken.None).ConfigureAwait(false);

    public async Task<long> DelAsync(IReadOnlyCollection<string> keys, CancellationToken ct) =>
        keys.Count == 0 ? 0 : (await ExecuteAsync("DEL", keys.Cast<object>().ToList(), ct).ConfigureAwait(false)).AsInteger();

    public async Task<bool> ExpireAsync(string key, TimeSpan ttl, CancellationToken ct = default) =>
        (await ExecuteAsync("EXPIRE", [key, (long)Math.Ceiling(ttl.TotalSeconds)], ct).ConfigureAwait(false)).AsInteger() == 1;

    public async Task<bool> PExpireAsync(string key, TimeSpan ttl, CancellationToken ct = default) =>
        (await ExecuteAsync("PEXPIRE", [key, Milliseconds(ttl)], ct).ConfigureAwait(false)).AsInteger() == 1;

    /// <summary>Remaining time to live; null when the key does not exist or has no expiry.</summary>
    public async Task<TimeSpan?> PTtlAsync(string key, CancellationToken ct = default)
    {
        var ms = (await ExecuteAsync("PTTL", [key], ct).ConfigureAwait(false)).AsInteger();
        return ms < 0 ? null : TimeSpan.FromMilliseconds(ms);
    }

    public async Task<long> IncrAsync(string key, CancellationToken ct = default) => (await ExecuteAsync("INCR", [key], ct).ConfigureAwait(false)).AsInteger();

    /// <summary>Sets fields; returns how many were new.</summary>
    public async Task<long> HSetAsync(string key, IEnumerable<KeyValuePair<string, string>> fields, CancellationToken ct = default)
    {
        var args = new List<object> { key };
        foreach (var (field, value) in fields) args.AddRange([field, value]);
        if (args.Count == 1) throw new ArgumentException("HSET needs at least one field", nameof(fields));
        return (await ExecuteAsync("HSET", args, ct).ConfigureAwait(false)).AsInteger();
    }

    public async Task<IReadOnlyDictionary<string, string>> HGetAllAsync(string key, CancellationToken ct = default) =>
        ToDictionary((await ExecuteAsync("HGETALL", [key], ct).ConfigureAwait(false)).AsArray());

    public async Task<long> HIncrByAsync(string key, string field, long by, CancellationToken ct = default) =>
        (await ExecuteAsync("HINCRBY", [key, field, by], ct).ConfigureAwait(false)).AsInteger();

    public async Task<long> HDelAsync(string key, IReadOnlyCollection<string> fields, CancellationToken ct = default) =>
        (await ExecuteAsync("HDEL", [key, .. fields], ct).ConfigureAwait(false)).AsInteger();

    /// <summary>Returns how many subscribers received the message.</summary>
    public async Task<long> PublishAsync(string channel, string message, CancellationToken ct = default) =>
        (await ExecuteAsync("PUBLISH", [channel, message], ct).ConfigureAwait(false)).AsInteger();

    public Task<RespValue> EvalAsync(string script, IReadOnlyList<string> keys, IReadOnlyList<object> args, CancellationToken ct = default) =>
        ExecuteAsync("EVAL", [script, keys.Count, .. keys, .. args], ct);

    /// <summary>EVALSHA by the script's SHA1; on NOSCRIPT (server restarted, SCRIPT FLUSH) sends the body with EVAL, which caches it again.</summary>
    public async Task<RespValue> EvalAsync(RedisScript script, IReadOnlyList<string> keys, IReadOnlyList<object> args, CancellationToken ct = default)
    {
        var answer = await ExecuteRawAsync("EVALSHA", [script.Sha1, keys.Count, .. keys, .. args], ct).ConfigureAwait(false);
        if (answer.Kind == RespKind.Error && answer.Text!.StartsWith("NOSCRIPT", StringComparison.Ordinal))
            return await EvalAsync(script.Body, keys, args, ct).ConfigureAwait(false);
        if (answer.Kind == RespKind.Error) throw new RedisServerException(Endpoint, $"EVALSHA ({script.Name})", answer.Text!);
        return answer;
    }

    /// <summary>All keys matching <paramref name="pattern"/>, by SCAN cursor (never KEYS): for monitoring lists.</summary>
    public async IAsyncEnumerable<string> ScanAsync(string pattern, int pageSize = 100, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var cursor = "0";
        do
        {
            var page = (await ExecuteAsync("SCAN", [cursor, "MATCH", pattern, "COUNT", pageSize], ct).ConfigureAwait(false)).AsArray();
            cursor = page[0].AsString()!;
            foreach (var key in page[1].AsArray()) yield return key.AsString()!;
        } while (cursor != "0");
    }

    private static long Milliseconds(TimeSpan t) => Math.Max(1, (long)Math.Ceiling(t.TotalMilliseconds));

    internal static Dictionary<string, string> ToDictionary(IReadOnlyList<RespValue> flat)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < flat.Count; i += 2) result[flat[i].AsString()!] = flat[i + 1].AsString()!;
        return result;
    }
}
