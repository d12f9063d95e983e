using System.Collections.Concurrent;
using System.Text;
using NasSav.Coordination.Tests.Support;
using NasSav.ServiceDefaults.Redis;
using NasSav.Testing;

namespace NasSav.Coordination.Tests.Redis;

/// <summary>The client's commands against a real server; run on redis-server and on Garnet.</summary>
public abstract class RedisClientContract : IAsyncLifetime
{
    protected RedisClient Client { get; private set; } = null!;
    protected string Prefix { get; } = $"test:{Guid.NewGuid():N}:";

    protected abstract Task<string> EndpointAsync();

    public async Task InitializeAsync() => Client = new RedisClient(new RedisClientSettings(await EndpointAsync()));

    public async Task DisposeAsync()
    {
        var keys = new List<string>();
        await foreach (var key in Client.ScanAsync(Prefix + "*")) keys.Add(key);
        await Client.DelAsync(keys, CancellationToken.None);
        await Client.DisposeAsync();
    }

    [Fact]
    public async Task Strings_round_trip_with_expiry_and_nx()
    {
        Assert.Equal("PONG", await Client.PingAsync());
        var k = Prefix + "s";
        Assert.Null(await Client.GetAsync(k));
        Assert.True(await Client.SetAsync(k, "héllo wörld"));
        Assert.Equal("héllo wörld", await Client.GetAsync(k));
        Assert.False(await Client.SetAsync(k, "other", onlyIfAbsent: true));
        Assert.Equal("héllo wörld", await Client.GetAsync(k));
        Assert.Null(await Client.PTtlAsync(k));
        Assert.True(await Client.PExpireAsync(k, TimeSpan.FromSeconds(30)));
        var ttl = await Client.PTtlAsync(k);
        Assert.InRange(ttl!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        Assert.True(await Client.ExpireAsync(k, TimeSpan.FromSeconds(60)));
        Assert.True((await Client.PTtlAsync(k))!.Value > TimeSpan.FromSeconds(30));

        var bytes = new byte[] { 0, 1, 2, 255, 13, 10 };
        Assert.True(await Client.SetAsync(Prefix + "b", bytes, TimeSpan.FromSeconds(30)));
        Assert.Equal(bytes, await Client.GetBytesAsync(Prefix + "b"));

        Assert.Equal(["héllo wörld", null], await Client.MGetAsync([k, Prefix + "missing"]));
        Assert.Equal(2, await Client.DelAsync(k, Prefix + "b", Prefix + "missing"));
        Assert.Null(await Client.GetAsync(k));
    }

    [Fact]
    public async Task A_short_px_expiry_removes_the_key()
    {
        var k = Prefix + "px";
        await Client.SetAsync(k, "v", TimeSpan.FromMilliseconds(100));
        await Wait.UntilAsync(async () => await Client.GetAsync(k) is null, TimeSpan.FromSeconds(5), "the key to expire");
    }

    [Fact]
    public async Task Counters_and_hashes()
    {
        Assert.Equal(1, await Client.IncrAsync(Prefix + "n"));
        Assert.Equal(2, await Client.IncrAsync(Prefix + "n"));
        var h = Prefix + "h";
        Assert.Equal(2, await Client.HSetAsync(h, [new("a", "1"), new("b", "two")]));
        Assert.Equal(7, await Client.HIncrByAsync(h, "a", 6));
        Assert.Equal(new Dictionary<string, string> { ["a"] = "7", ["b"] = "two" }, await Client.HGetAllAsync(h));
        Assert.Equal(1, await Client.HDelAsync(h, ["b"]));
        Assert.Equal(["a"], (await Client.HGetAllAsync(h)).Keys);
        Assert.Empty(await Client.HGetAllAsync(Prefix + "nohash"));
    }

    [Fact]
    public async Task A_server_error_carries_the_servers_text()
    {
        await Client.SetAsync(Prefix + "text", "not a number");
        var ex = await Assert.ThrowsAsync<RedisServerException>(() => Client.IncrAsync(Prefix + "text"));
        Assert.Equal("ERR", ex.Prefix);
        Assert.Contains("not an integer", ex.ServerText);
        Assert.Contains(Client.Endpoint, ex.Message);
        Assert.Contains("INCR", ex.Message);
        // The connection is still usable after an error answer.
        Assert.Equal("PONG", await Client.PingAsync());
    }

    [Fact]
    public async Task A_thousand_parallel_commands_get_their_own_answers()
    {
        // Callers on the thread pool, as in a service: xUnit's test context would serialise their continuations.
        var tasks = Enumerable.Range(0, 1000).Select(i => Task.Run(async () =>
        {
            var key = $"{Prefix}p{i}";
            await Client.SetAsync(key, $"value-{i}", TimeSpan.FromMinutes(1));
            return (i, await Client.GetAsync(key));
        }));
        var results = await Task.WhenAll(tasks);
        Assert.All(results, r => Assert.Equal($"value-{r.i}", r.Item2));
        var all = await Client.MGetAsync(Enumerable.Range(0, 1000).Select(i => $"{Prefix}p{i}").ToList());
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (string?)$"value-{i}"), all);
    }

    [Fact]
    public async Task Evalsha_falls_back_to_eval_when_the_server_does_not_know_the_script()
    {
        // A body no server has seen (unique comment), so the first EVALSHA must answer NOSCRIPT.
        var script = new RedisScript("echo", $"-- {Guid.NewGuid()}\nreturn {{KEYS[1], ARGV[1]}}");
        var exists = await Client.ExecuteAsync("SCRIPT", "EXISTS", script.Sha1);
        Assert.Equal(0, exists.AsArray()[0].AsInteger());
        var first = await Client.EvalAsync(script, [Prefix + "k"], ["arg"]);
        Assert.Equal([Prefix + "k", "arg"], first.AsArray().Select(v => v.AsString()));
        exists = await Client.ExecuteAsync("SCRIPT", "EXISTS", script.Sha1);
        Assert.Equal(1, exists.AsArray()[0].AsInteger()); // cached by the fallback EVAL: next time EVALSHA is enough
        var second = await Client.EvalAsync(script, [Prefix + "k"], [42]);
        Assert.Equal("42", second.AsArray()[1].AsString());
    }

    [Fact]
    public async Task A_script_error_is_a_server_exception()
    {
        var script = new RedisScript("broken", $"-- {Guid.NewGuid()}\nreturn redis.call('INCR', KEYS[1])");
        await Client.SetAsync(Prefix + "t", "x");
        var ex = await Assert.ThrowsAsync<RedisServerException>(() => Client.EvalAsync(script, [Prefix + "t"], []));
        Assert.Contains("integer", ex.ServerText);
    }

    [Fact]
    public async Task Scan_lists_every_matching_key()
    {
        for (var i = 0; i < 250; i++) await Client.SetAsync($"{Prefix}scan:{i}", "x", TimeSpan.FromMinutes(1));
        var found = new HashSet<string>();
        await foreach (var key in Client.ScanAsync(Prefix + "scan:*", pageSize: 50)) found.Add(key);
        Assert.Equal(250, found.Count);
    }

    [Fact]
    public async Task Published_messages_reach_subscribers_until_they_unsubscribe()
    {
        var channel = Prefix + "ch";
        var received = new ConcurrentQueue<string>();
        var subscription = await Client.SubscribeAsync(channel, (c, m) => received.Enqueue($"{c}={Encoding.UTF8.GetString(m)}"));
        Assert.Equal(1, await Client.PublishAsync(channel, "one"));
        await Wait.UntilAsync(() => received.Count == 1, TimeSpan.FromSeconds(5), "the message");
        Assert.Equal($"{channel}=one", received.Single());
        await subscription.DisposeAsync();
        await Wait.UntilAsync(async () => await Client.PublishAsync(channel, "two") == 0, TimeSpan.FromSeconds(5), "the unsubscribe");
        Assert.Single(received);
    }
}

public sealed class RedisClientOnRedisTests : RedisClientContract
{
    protected override Task<string> EndpointAsync() => LocalServers.RedisAsync();
}

public sealed class RedisClientOnGarnetTests : RedisClientContract
{
    protected override Task<string> EndpointAsync() => LocalServers.GarnetAsync();
}
