using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using NasSav.Coordination.Tests.Support;
using NasSav.ServiceDefaults.Locking;
using NasSav.ServiceDefaults.Redis;
using NasSav.Testing;

using Xunit.Abstractions;

namespace NasSav.Coordination.Tests.Locking;

/// <summary>The distributed lease: instances sharing a real redis-server, epochs in PostgreSQL.</summary>
public sealed class RedisLeaseLockTests(ITestOutputHelper output) : LeaseLockContract(output)
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
        await services.GetRequiredService<RedisClient>().DelAsync(Fixture.Settings["Locking:KeyPrefix"] + Name);
        await lost.Task.WaitAsync(Ttl); // a renewal runs every ttl/3 and finds the key gone
    }

    [Fact]
    public async Task A_holder_cut_off_from_redis_for_a_whole_ttl_cancels_its_own_work()
    {
        await using var server = await PrivateRedis.StartAsync();
        var services = await Fixture.InstanceAsync(("Redis:Endpoint", server.Endpoint), ("Redis:CommandTimeout", "00:00:00.500"));
        await using var lease = await services.GetRequiredService<ILeaseLock>().AcquireAsync(Name, "isolated", CancellationToken.None);
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lease.Lost.Register(() => lost.TrySetResult());
        var cut = Stopwatch.GetTimestamp();
        await server.KillAsync();
        // Its key may live on somewhere for up to a ttl after the last renewal: by then the holder must have stopped.
        await lost.Task.WaitAsync(Ttl + TimeSpan.FromSeconds(1));
        Assert.True(Stopwatch.GetElapsedTime(cut) <= Ttl + TimeSpan.FromMilliseconds(100), $"lost after {Stopwatch.GetElapsedTime(cut).TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task A_holder_killed_with_sigkill_is_replaced_within_ttl_plus_one_second()
    {
        var ttl = TimeSpan.FromSeconds(3);
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
            var waiter = Task.Run(() => locks.AcquireAsync(Name, "successor", new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token));
            await Wait.UntilAsync(() => ((LeaseLockBase)locks).RefusedAttempts > 0 || waiter.IsCompleted, TimeSpan.FromSeconds(10), "the successor to wait");

            var killed = Stopwatch.GetTimestamp();
            child.Kill(entireProcessTree: true); // SIGKILL: no release, no goodbye
            await using var lease = await waiter;
            var took = Stopwatch.GetElapsedTime(killed);
            Assert.True(took <= ttl + TimeSpan.FromSeconds(1), $"replaced after {took.TotalMilliseconds:0} ms (ttl {ttl.TotalMilliseconds:0} ms)");
            Assert.True(lease.Epoch > childEpoch);
        }
        finally
        {
            if (!child.HasExited) child.Kill(entireProcessTree: true);
        }
    }
}
