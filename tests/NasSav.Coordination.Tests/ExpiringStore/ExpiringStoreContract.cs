using NasSav.Coordination.Tests.Support;
using NasSav.ServiceDefaults.Redis;
using NasSav.Coordination.Redis;
using StackExchange.Redis;
using NasSav.Testing;

namespace NasSav.Coordination.Tests.ExpiringStore;

public abstract class ExpiringStoreContract : IAsyncLifetime
{
    protected IExpiringStore Store { get; set; } = null!;
    protected string Prefix { get; } = $"test:{Guid.NewGuid():N}:";

    public abstract Task InitializeAsync();
    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Values_are_set_read_in_bulk_and_deleted()
    {
        await Store.SetAsync(Prefix + "a", "1", TimeSpan.FromMinutes(1));
        await Store.SetAsync(Prefix + "b", "två", TimeSpan.FromMinutes(1));
        Assert.Equal("1", await Store.GetAsync(Prefix + "a"));
        var many = await Store.GetManyAsync([Prefix + "a", Prefix + "b", Prefix + "missing", Prefix + "a"]);
        Assert.Equal(new Dictionary<string, string> { [Prefix + "a"] = "1", [Prefix + "b"] = "två" }, many);
        Assert.Empty(await Store.GetManyAsync([]));
        Assert.True(await Store.DeleteAsync(Prefix + "a"));
        Assert.False(await Store.DeleteAsync(Prefix + "a"));
        Assert.Null(await Store.GetAsync(Prefix + "a"));
    }

    [Fact]
    public async Task Values_disappear_after_their_ttl()
    {
        await Store.SetAsync(Prefix + "short", "x", TimeSpan.FromMilliseconds(150));
        await Store.SetAsync(Prefix + "long", "y", TimeSpan.FromMinutes(1));
        await Wait.UntilAsync(async () => await Store.GetAsync(Prefix + "short") is null, TimeSpan.FromSeconds(5), "the short value to expire");
        Assert.Equal("y", await Store.GetAsync(Prefix + "long"));
        Assert.Equal([Prefix + "long"], (await Store.GetManyAsync([Prefix + "short", Prefix + "long"])).Keys);
    }

    [Fact]
    public async Task Concurrent_increments_are_not_lost_and_the_counter_expires()
    {
        await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => Store.IncrementAsync(Prefix + "n", 1, TimeSpan.FromMinutes(1)))));
        Assert.Equal("200", await Store.GetAsync(Prefix + "n"));
        Assert.Equal(195, await Store.IncrementAsync(Prefix + "n", -5, TimeSpan.FromMinutes(1)));

        Assert.Equal(7, await Store.IncrementAsync(Prefix + "brief", 7, TimeSpan.FromMilliseconds(150)));
        await Wait.UntilAsync(async () => await Store.GetAsync(Prefix + "brief") is null, TimeSpan.FromSeconds(5), "the counter to expire");
        Assert.Equal(1, await Store.IncrementAsync(Prefix + "brief", 1, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task A_ttl_that_is_not_positive_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.SetAsync(Prefix + "z", "x", TimeSpan.Zero));
    }
}

public sealed class InProcessExpiringStoreTests : ExpiringStoreContract
{
    public override Task InitializeAsync()
    {
        Store = new InProcessExpiringStore(TimeProvider.System);
        return Task.CompletedTask;
    }
}

public sealed class RedisExpiringStoreTests : ExpiringStoreContract
{
    private ConnectionMultiplexer _redis = null!;

    public override async Task InitializeAsync()
    {
        _redis = PrivateRedis.Connect(await LocalServers.RedisAsync());
        Store = new RedisExpiringStore(_redis);
    }

    public override async Task DisposeAsync() => await _redis.DisposeAsync();
}
