using Microsoft.Extensions.DependencyInjection;
using NasSav.Coordination.Tests.Support;
using NasSav.Coordination.Locking;


namespace NasSav.Coordination.Tests.Locking;

/// <summary>The standalone host's lease: one process, epochs in SQLite.</summary>
public sealed class InProcessLeaseLockTests : LeaseLockContract
{
    protected override Task<CoordinationFixture> CreateFixtureAsync() => CoordinationFixture.CreateAsync(postgres: false, redisEndpoint: null);

    protected override Task<ILeaseLock> OtherInstanceAsync(ServiceProvider first, params (string Key, string Value)[] overrides) =>
        Task.FromResult(first.GetRequiredService<ILeaseLock>());

    [Fact]
    public async Task Without_redis_the_in_process_implementation_is_registered()
    {
        var services = await Fixture.InstanceAsync();
        Assert.IsType<InProcessLeaseLock>(services.GetRequiredService<ILeaseLock>());
    }
}
