using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NasSav.ServiceDefaults.Configuration;
using NasSav.Coordination;
using NasSav.Coordination.Locking;
using NasSav.ServiceDefaults.Redis;
using NasSav.Coordination.Redis;
using StackExchange.Redis;

namespace NasSav.Coordination.Tests.Support;

public sealed class RegistrationTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings, int calls = 1)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddValidatedOptions<DataOptions>(config, DataOptions.Section);
        services.AddValidatedOptions<DatabaseOptions>(config, DatabaseOptions.Section);
        for (var i = 0; i < calls; i++) services.AddNasSavCoordination(config); // as several modules in one host
        Assert.Single(services, d => d.ServiceType == typeof(ILeaseLock));
        Assert.Single(services, d => d.ServiceType == typeof(IExpiringStore));
        Assert.Single(services, d => d.ServiceType == typeof(IFencingEpochs));
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task Registering_twice_is_the_same_as_once_and_picks_redis_by_endpoint()
    {
        await using var redis = Build(new() { ["Redis:Endpoint"] = "127.0.0.1:1" }, calls: 3);
        Assert.IsType<RedisExpiringStore>(redis.GetRequiredService<IExpiringStore>());
        Assert.Equal("127.0.0.1:1", redis.GetRequiredService<IConnectionMultiplexer>().Configuration.Split(',')[0]);
        await using var local = Build(new(), calls: 2);
        Assert.IsType<InProcessExpiringStore>(local.GetRequiredService<IExpiringStore>());
        Assert.IsType<InProcessLeaseLock>(local.GetRequiredService<ILeaseLock>());
    }

    [Fact]
    public async Task Bad_lease_settings_fail_with_the_key_named()
    {
        await using var services = Build(new() { ["Locking:LeaseTtl"] = "00:00:00.100", ["Locking:PollMin"] = "00:00:02", ["Locking:PollMax"] = "00:00:01" });
        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<LeaseOptions>>().Value);
        Assert.Contains("Locking:LeaseTtl", ex.Message);
        Assert.Contains("Locking:PollMax", ex.Message);
    }

    [Theory]
    [InlineData("localhost:0")]
    [InlineData("localhost:notaport")]
    [InlineData(":6379")]
    public async Task A_bad_redis_endpoint_fails_with_the_key_named(string endpoint)
    {
        await using var services = Build(new() { ["Redis:Endpoint"] = endpoint });
        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<RedisOptions>>().Value);
        Assert.Contains("Redis:Endpoint", ex.Message);
    }

    [Theory]
    [InlineData("redis:6380")]
    [InlineData("redis")]
    [InlineData("[::1]:7000")]
    public async Task Good_redis_endpoints_pass_validation(string endpoint)
    {
        await using var services = Build(new() { ["Redis:Endpoint"] = endpoint });
        Assert.Equal(endpoint, services.GetRequiredService<IOptions<RedisOptions>>().Value.Endpoint);
    }

    [Fact]
    public void The_connection_fails_fast_with_the_configured_timeouts()
    {
        var o = RedisConnections.Options(new RedisOptions
        {
            Endpoint = "redis:6380", Password = "pw", ClientName = "catalog-1",
            CommandTimeout = TimeSpan.FromMilliseconds(1500), ConnectTimeout = TimeSpan.FromSeconds(3),
        });
        Assert.Same(BacklogPolicy.FailFast, o.BacklogPolicy);
        Assert.False(o.AbortOnConnectFail);
        Assert.Equal((1500, 1500, 3000), (o.AsyncTimeout, o.SyncTimeout, o.ConnectTimeout));
        Assert.Equal(("pw", "catalog-1"), (o.Password, o.ClientName));
        Assert.Equal(TimeSpan.FromMilliseconds(375), o.HeartbeatInterval); // timeouts are checked at every heartbeat
    }
}
