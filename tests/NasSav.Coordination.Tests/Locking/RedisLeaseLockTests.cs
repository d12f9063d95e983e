using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using NasSav.Coordination.Tests.Support;
using NasSav.Coordination.Locking;
using NasSav.ServiceDefaults.Redis;
using NasSav.Coordination.Redis;
using StackExchange.Redis;
using NasSav.Testing;


namespace NasSav.Coordination.Tests.Locking;

/// <summary>The distributed lease: instances sharing a real redis-server, epochs in PostgreSQL.</summary>
public sealed class RedisLeaseLockTests : LeaseLockContract
{
    protected override async Task<CoordinationFixture> CreateFixtureAsync() =>
        await CoordinationFixture.CreateAsync(postgres: true, redisEndpoint: await LocalServers.RedisAsync());

    protected override async Task<ILeaseLock> OtherInstanceAsync(ServiceProvider first, params (string Key, string Value)[] overrides) =>
        (await Fixture.InstanceAsync(overrides)).GetRequiredService<ILeaseLock>();

    [Fact]
    public async Task With_redis_the_redis_implementation_is_registered()
    {
        var services = await Fixture.InstanceAsync();
        Assert.IsType<RedisLeaseLock>(services.GetRequiredService<ILeaseLock>());
    }

    [Fact]
    public async Task A_holder_whose_key_was_deleted_learns_it_at_the_next_renewal()
    {
        var services = await Fixture.InstanceAsync();
        await using var lease = await services.GetRequiredService<ILeaseLock>().AcquireAsync(Name, "victim", CancellationToken.None);
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lease.Lost.Register(() => lost.TrySetResult());
        await services.GetRequiredService<IConnectionMultiplexer>().GetDatabase().KeyDeleteAsync(Fixture.Settings["Locking:KeyPrefix"] + Name);
        await lost.Task.WaitAsync(TimeSpan.FromSeconds(30)); // a renewal runs every ttl/3 and finds the key gone
    }

    [Fact]
    public async Task A_waiter_whose_connections_were_cut_looks_again_when_they_are_back()
    {
        // Polls every minute: only the wake-up on the restored connection can let the waiter in within the test's patience.
        (string, string)[] slowPoll = [("Locking:PollMin", "00:01:00"), ("Locking:PollMax", "00:01:00")];
        var clientName = "waiter-" + Guid.NewGuid().ToString("N")[..12];
        var holder = (await Fixture.InstanceAsync(slowPoll)).GetRequiredService<ILeaseLock>();
        var waiterServices = await Fixture.InstanceAsync([.. slowPoll, ("Redis:ClientName", clientName)]);
        var waiter = (LeaseLockBase)waiterServices.GetRequiredService<ILeaseLock>();
        await using var held = await holder.AcquireAsync(Name, "holder", CancellationToken.None);
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var waiting = Task.Run(() => waiter.AcquireAsync(Name, "waiter", patience.Token));
        await Wait.UntilAsync(() => waiter.RefusedAttempts > 0, TimeSpan.FromSeconds(10), "the waiter to find the lease taken");

        // The lease goes without a release notice (as when the notice is published while the waiter's
        // subscription is down), then the waiter's connections are killed and come back.
        var endpoint = Fixture.Settings["Redis:Endpoint"]!;
        var prefix = Fixture.Settings["Locking:KeyPrefix"]!;
        await using var admin = PrivateRedis.Admin(endpoint);
        await admin.GetDatabase().KeyDeleteAsync([prefix + Name, prefix + Name + ":info"]);
        var server = admin.GetServer(endpoint);
        var connections = (await server.ClientListAsync()).Where(c => c.Name == clientName).ToList();
        Assert.NotEmpty(connections);
        foreach (var c in connections) await server.ClientKillAsync(c.Address!);

        await using var got = await waiting;
        Assert.Equal("waiter", got.Holder);
        Assert.True(got.Epoch > held.Epoch);
    }

    [Fact]
    public async Task A_holder_cut_off_from_redis_for_a_whole_ttl_cancels_its_own_work()
    {
        await using var server = await PrivateRedis.StartAsync();
        var services = await Fixture.InstanceAsync(("Redis:Endpoint", server.Endpoint), ("Redis:CommandTimeout", "00:00:00.500"));
        await using var lease = await services.GetRequiredService<ILeaseLock>().AcquireAsync(Name, "isolated", CancellationToken.None);
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lease.Lost.Register(() => lost.TrySetResult());
        await server.KillAsync();
        // No renewal can answer "gone" now: only the watchdog's own clock (a ttl without a successful renewal)
        // can cancel the work. How soon is a timing question for the benchmarks; that it happens is asserted.
        await lost.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_holder_killed_with_sigkill_is_replaced_after_its_lease_expires()
    {
        var settings = new Dictionary<string, string?>(Fixture.Settings) { ["Locking:LeaseTtl"] = "00:00:03" };
        var dll = Path.Combine(AppContext.BaseDirectory, "NasSav.LeaseHolder.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { dll, Name, "child:1" }.Concat(settings.Select(kv => $"{kv.Key}={kv.Value}"))) psi.ArgumentList.Add(a);
        using var child = Process.Start(psi)!;
        try
        {
            var line = await child.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(line?.StartsWith("ACQUIRED ") == true, $"the holder printed '{line}'; stderr: {(child.HasExited ? await child.StandardError.ReadToEndAsync() : "")}");
            var childEpoch = long.Parse(line!["ACQUIRED ".Length..]);

            var services = await Fixture.InstanceAsync(("Locking:LeaseTtl", "00:00:03"));
            var locks = services.GetRequiredService<ILeaseLock>();
            Assert.Equal("child:1", (await locks.GetHolderAsync(Name, CancellationToken.None))?.Holder);
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var waiter = Task.Run(() => locks.AcquireAsync(Name, "successor", patience.Token));
            await Wait.UntilAsync(() => ((LeaseLockBase)locks).RefusedAttempts > 0 || waiter.IsCompleted, TimeSpan.FromSeconds(10), "the successor to wait");
            Assert.False(waiter.IsCompleted); // not while the holder lives and renews

            child.Kill(entireProcessTree: true); // SIGKILL: no release, no goodbye
            // Its key expires a ttl after its last renewal, then the successor's poll finds it free: order and
            // epochs here; tools/NasSav.Bench `lease` measures how long the takeover takes.
            await using var lease = await waiter;
            Assert.Equal("successor", lease.Holder);
            Assert.True(lease.Epoch > childEpoch);
        }
        finally
        {
            if (!child.HasExited) child.Kill(entireProcessTree: true);
        }
    }
}
