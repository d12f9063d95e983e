using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using NasSav.Coordination.Tests.Support;
using NasSav.Coordination.Locking;
using NasSav.Testing;

namespace NasSav.Coordination.Tests.Locking;

/// <summary>
/// The lease semantics both implementations must have (Redis across instances, in-process in one process).
/// Lease ttl is 2 s here (configuration), so renewals run every ~0.67 s.
/// </summary>
public abstract class LeaseLockContract : IAsyncLifetime
{
    protected static readonly TimeSpan Ttl = TimeSpan.FromSeconds(2);
    protected CoordinationFixture Fixture { get; private set; } = null!;
    protected string Name { get; } = "download-" + Guid.NewGuid().ToString("N")[..8];

    protected abstract Task<CoordinationFixture> CreateFixtureAsync();

    /// <summary>A second contender: another instance sharing Redis and the database, or the same process's lock.</summary>
    protected abstract Task<ILeaseLock> OtherInstanceAsync(ServiceProvider first, params (string Key, string Value)[] overrides);

    public async Task InitializeAsync() => Fixture = await CreateFixtureAsync();
    public async Task DisposeAsync() => await Fixture.DisposeAsync();

    [Fact]
    public async Task Two_contenders_never_hold_the_lease_at_once_and_epochs_rise_with_every_acquisition()
    {
        var first = await Fixture.InstanceAsync();
        var locks = new[] { first.GetRequiredService<ILeaseLock>(), await OtherInstanceAsync(first) };
        var inside = 0;
        var overlaps = 0;
        var epochs = new List<long>();
        const int rounds = 25;
        await Task.WhenAll(locks.Select((l, who) => Task.Run(async () =>
        {
            for (var round = 0; round < rounds; round++)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await using var lease = await l.AcquireAsync(Name, $"contender{who}:{round}", timeout.Token);
                if (Interlocked.Increment(ref inside) != 1) Interlocked.Increment(ref overlaps);
                lock (epochs) epochs.Add(lease.Epoch);
                await Task.Delay(2); // hold it a moment, as real work would
                Interlocked.Decrement(ref inside);
            }
        })));
        Assert.Equal(0, overlaps);
        Assert.Equal(2 * rounds, epochs.Count);
        for (var i = 1; i < epochs.Count; i++) Assert.True(epochs[i] > epochs[i - 1], $"epoch {epochs[i]} after {epochs[i - 1]}");
    }

    [Fact]
    public async Task A_release_notice_wakes_a_waiter_that_would_otherwise_poll_for_a_minute()
    {
        // Order, not speed (tools/NasSav.Bench `lease` measures the hand-off): with polling at one minute,
        // only the release notice can hand the lease over within the test's patience, every round.
        (string, string)[] slowPoll = [("Locking:PollMin", "00:01:00"), ("Locking:PollMax", "00:01:00")];
        var first = await Fixture.InstanceAsync(slowPoll);
        var holderLock = first.GetRequiredService<ILeaseLock>();
        var waiterLock = await OtherInstanceAsync(first, slowPoll);
        var waiterBase = (LeaseLockBase)waiterLock;
        for (var round = 0; round < 5; round++)
        {
            var held = await holderLock.AcquireAsync(Name, $"holder:{round}", CancellationToken.None);
            var refused = waiterBase.RefusedAttempts;
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var waiter = Task.Run(() => waiterLock.AcquireAsync(Name, $"waiter:{round}", patience.Token));
            await Wait.UntilAsync(() => waiterBase.RefusedAttempts > refused, TimeSpan.FromSeconds(10), "the waiter to find the lease taken");
            Assert.False(waiter.IsCompleted);
            await held.DisposeAsync();
            await using var got = await waiter;
            Assert.Equal($"waiter:{round}", got.Holder);
            Assert.True(got.Epoch > held.Epoch);
        }
    }

    [Fact]
    public async Task A_force_released_holder_loses_its_lease_and_its_late_completion_is_refused()
    {
        var first = await Fixture.InstanceAsync();
        var locks = first.GetRequiredService<ILeaseLock>();
        var epochs = first.GetRequiredService<IFencingEpochs>();
        var other = await OtherInstanceAsync(first);
        await using var old = await locks.AcquireAsync(Name, "old", CancellationToken.None);
        Assert.True(await epochs.RunIfCurrentAsync(Name, old.Epoch, _ => Task.CompletedTask, CancellationToken.None));

        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        old.Lost.Register(() => lost.TrySetResult());
        Assert.True(await other.ForceReleaseAsync(Name, CancellationToken.None));
        await using var next = await other.AcquireAsync(Name, "new", CancellationToken.None);
        await lost.Task.WaitAsync(TimeSpan.FromSeconds(30)); // learnt at its next renewal (every ttl/3)

        var ran = false;
        Assert.False(await epochs.RunIfCurrentAsync(Name, old.Epoch, _ => { ran = true; return Task.CompletedTask; }, CancellationToken.None));
        Assert.False(ran);
        Assert.True(next.Epoch > old.Epoch);
        Assert.True(await epochs.RunIfCurrentAsync(Name, next.Epoch, _ => { ran = true; return Task.CompletedTask; }, CancellationToken.None));
        Assert.True(ran);
        Assert.Equal("new", (await locks.GetHolderAsync(Name, CancellationToken.None))?.Holder);
    }

    [Fact]
    public async Task The_holder_is_reported_with_epoch_age_and_remaining_ttl_and_renewals_keep_it()
    {
        var services = await Fixture.InstanceAsync();
        var locks = services.GetRequiredService<ILeaseLock>();
        Assert.Null(await locks.GetHolderAsync(Name, CancellationToken.None));
        var lease = await locks.AcquireAsync(Name, "worker-1:attempt-1", CancellationToken.None);
        Assert.Null(await locks.TryAcquireAsync(Name, "worker-2", CancellationToken.None));
        var info = await locks.GetHolderAsync(Name, CancellationToken.None);
        Assert.NotNull(info);
        Assert.Equal(("worker-1:attempt-1", lease.Epoch), (info.Holder, info.Epoch));
        Assert.InRange(info.AcquiredAt, lease.AcquiredAt.AddMilliseconds(-1), DateTimeOffset.UtcNow);
        Assert.InRange(info.RemainingTtl, TimeSpan.FromMilliseconds(1), Ttl);

        // Past two ttls it is still held: renewals work (and Lost stays quiet).
        var until = Stopwatch.GetTimestamp();
        await Wait.UntilAsync(() => Stopwatch.GetElapsedTime(until) > 2 * Ttl, 3 * Ttl, "two lease ttls to pass");
        Assert.False(lease.Lost.IsCancellationRequested);
        Assert.Equal("worker-1:attempt-1", (await locks.GetHolderAsync(Name, CancellationToken.None))?.Holder);

        await lease.DisposeAsync();
        Assert.Null(await locks.GetHolderAsync(Name, CancellationToken.None));
        Assert.False(lease.Lost.IsCancellationRequested); // released, not lost
        await using var again = await locks.TryAcquireAsync(Name, "worker-2", CancellationToken.None);
        Assert.NotNull(again);
    }

    [Fact]
    public async Task Epochs_keep_rising_across_restarts()
    {
        long last;
        await using (var before = await CoordinationServicesFor())
        {
            await using var lease = await before.GetRequiredService<ILeaseLock>().AcquireAsync(Name, "a", CancellationToken.None);
            last = lease.Epoch;
        }
        await using var after = await CoordinationServicesFor();
        await using var next = await after.GetRequiredService<ILeaseLock>().AcquireAsync(Name, "b", CancellationToken.None);
        Assert.True(next.Epoch > last, $"epoch {next.Epoch} after a restart, was {last}");
    }

    [Fact]
    public async Task Cancelling_a_wait_stops_it()
    {
        var services = await Fixture.InstanceAsync();
        var locks = services.GetRequiredService<ILeaseLock>();
        await using var held = await locks.AcquireAsync(Name, "holder", CancellationToken.None);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => locks.AcquireAsync(Name, "waiter", cts.Token));
    }

    private Task<Microsoft.Extensions.DependencyInjection.ServiceProvider> CoordinationServicesFor() =>
        NasSav.LeaseHolder.CoordinationServices.BuildAsync(new Dictionary<string, string?>(Fixture.Settings));
}
