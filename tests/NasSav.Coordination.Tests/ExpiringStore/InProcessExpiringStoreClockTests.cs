using Microsoft.Extensions.DependencyInjection;

namespace NasSav.Coordination.Tests.ExpiringStore;

public sealed class InProcessExpiringStoreClockTests
{
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public async Task Values_live_until_their_ttl_and_GetMany_returns_only_live_keys()
    {
        var clock = new ManualClock();
        var store = new InProcessExpiringStore(clock);
        await store.SetAsync("a", "1", TimeSpan.FromSeconds(10));
        await store.SetAsync("b", "2", TimeSpan.FromSeconds(30));
        Assert.Equal("1", await store.GetAsync("a"));

        clock.Now += TimeSpan.FromSeconds(10);
        Assert.Null(await store.GetAsync("a"));
        var many = await store.GetManyAsync(["a", "b", "c"]);
        Assert.Equal(["b"], many.Keys);
        Assert.Equal("2", many["b"]);

        await store.SetAsync("b", "3", TimeSpan.FromSeconds(5)); // a write replaces value and ttl
        Assert.Equal("3", await store.GetAsync("b"));
        Assert.True(await store.DeleteAsync("b"));
        Assert.False(await store.DeleteAsync("b"));
        Assert.Null(await store.GetAsync("b"));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.SetAsync("x", "y", TimeSpan.Zero));
    }
}
