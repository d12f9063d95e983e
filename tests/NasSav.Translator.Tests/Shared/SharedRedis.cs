using NasSav.ServiceDefaults.Configuration;
using NasSav.ServiceDefaults.Redis;
using StackExchange.Redis;
using NasSav.Testing;
using NasSav.Testing.FakeLlm;

namespace NasSav.Translator.Tests.Shared;

/// <summary>
/// Translator instances sharing the test Redis under a key prefix of their own (other tests and other runs
/// use the same server), each in its own container with its own Redis connection, as separate processes are.
/// </summary>
public sealed class SharedRedis : IAsyncLifetime
{
    public string Endpoint { get; private set; } = "";
    public string Prefix { get; } = $"nassav:test:translator:{Guid.NewGuid():N}:";
    private ConnectionMultiplexer _redis = null!;
    public IDatabase Db => _redis.GetDatabase();

    public async Task InitializeAsync()
    {
        Endpoint = await LocalServers.RedisAsync();
        _redis = RedisConnections.Connect(new RedisOptions { Endpoint = Endpoint });
    }

    public async Task DisposeAsync()
    {
        var keys = new List<RedisKey>();
        await foreach (var key in _redis.GetServer(Endpoint).KeysAsync(pattern: Prefix + "*")) keys.Add(key);
        if (keys.Count > 0) await Db.KeyDeleteAsync([.. keys]);
        await _redis.DisposeAsync();
    }

    /// <summary>One translator instance on this Redis against <paramref name="llm"/>.</summary>
    public Translating Instance(FakeLlmServer llm, params (string Key, string? Value)[] values) =>
        new(Translating.Config(llm, "ollama", [("Redis:Endpoint", Endpoint), ("Translator:RedisKeyPrefix", Prefix), .. values]));
}
