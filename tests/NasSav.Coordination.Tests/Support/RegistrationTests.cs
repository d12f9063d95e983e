using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NasSav.ServiceDefaults.Configuration;
using NasSav.ServiceDefaults.Coordination;
using NasSav.ServiceDefaults.Locking;
using NasSav.ServiceDefaults.Redis;
using NasSav.ServiceDefaults.Shared;

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
        Assert.Equal("127.0.0.1:1", redis.GetRequiredService<RedisClient>().Endpoint);
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
    [InlineData("redis:6380", "redis", 6380)]
    [InlineData("redis", "redis", 6379)]
    [InlineData("[::1]:7000", "::1", 7000)]
    public void Endpoints_split_into_host_and_port(string endpoint, string host, int port) =>
        Assert.Equal((host, port), RedisClientSettings.Split(endpoint));
}
