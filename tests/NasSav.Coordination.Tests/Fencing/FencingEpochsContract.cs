using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NasSav.Coordination.Tests.Support;
using NasSav.Coordination.Locking;
using NasSav.Coordination.Locking.Fencing;

namespace NasSav.Coordination.Tests.Fencing;

/// <summary>The durable epoch store on both database providers.</summary>
public abstract class FencingEpochsContract : IAsyncLifetime
{
    private CoordinationFixture _fixture = null!;
    protected ServiceProvider Services { get; private set; } = null!;
    protected IFencingEpochs Epochs => Services.GetRequiredService<IFencingEpochs>();

    protected abstract bool Postgres { get; }

    public async Task InitializeAsync()
    {
        _fixture = await CoordinationFixture.CreateAsync(Postgres, redisEndpoint: null);
        Services = await _fixture.InstanceAsync();
    }

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    [Fact]
    public async Task Epochs_start_at_one_and_rise_per_name()
    {
        Assert.Equal(0, await Epochs.CurrentAsync("a", CancellationToken.None));
        Assert.Equal(1, await Epochs.NextAsync("a", "h1", CancellationToken.None));
        Assert.Equal(2, await Epochs.NextAsync("a", "h2", CancellationToken.None));
        Assert.Equal(1, await Epochs.NextAsync("b", "h1", CancellationToken.None));
        Assert.Equal(2, await Epochs.CurrentAsync("a", CancellationToken.None));

        await using var scope = Services.CreateAsyncScope();
        var row = await scope.ServiceProvider.GetRequiredService<FencingDbContext>().Epochs.SingleAsync(e => e.Name == "a");
        Assert.Equal(("h2", 2L), (row.Holder, row.Epoch));
        Assert.True(row.UpdatedAt > DateTimeOffset.UtcNow.AddMinutes(-1));
    }

    [Fact]
    public async Task Concurrent_next_calls_each_get_a_distinct_epoch()
    {
        var all = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => Epochs.NextAsync("c", $"h{i}", CancellationToken.None))));
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), all.Order());
    }

    [Fact]
    public async Task Only_the_current_epoch_runs_its_action()
    {
        var first = await Epochs.NextAsync("d", "old", CancellationToken.None);
        var ran = new List<long>();
        Assert.True(await Epochs.RunIfCurrentAsync("d", first, _ => { ran.Add(first); return Task.CompletedTask; }, CancellationToken.None));
        var second = await Epochs.NextAsync("d", "new", CancellationToken.None);
        Assert.False(await Epochs.RunIfCurrentAsync("d", first, _ => { ran.Add(first); return Task.CompletedTask; }, CancellationToken.None));
        Assert.True(await Epochs.RunIfCurrentAsync("d", second, _ => { ran.Add(second); return Task.CompletedTask; }, CancellationToken.None));
        Assert.False(await Epochs.RunIfCurrentAsync("never-taken", 1, _ => { ran.Add(-1); return Task.CompletedTask; }, CancellationToken.None));
        Assert.Equal([first, second], ran);
    }

    [Fact]
    public async Task A_new_epoch_waits_until_a_running_fenced_action_has_finished()
    {
        var epoch = await Epochs.NextAsync("e", "mover", CancellationToken.None);
        var inAction = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long actionEnded = 0;
        var action = Epochs.RunIfCurrentAsync("e", epoch, async _ =>
        {
            inAction.SetResult();
            await Task.Delay(400); // the move of a finished file, say
            actionEnded = Stopwatch.GetTimestamp();
        }, CancellationToken.None);
        await inAction.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var next = await Epochs.NextAsync("e", "usurper", CancellationToken.None);
        var nextTaken = Stopwatch.GetTimestamp();
        Assert.True(await action);
        Assert.Equal(epoch + 1, next);
        Assert.True(actionEnded != 0 && nextTaken > actionEnded, "the new epoch was taken while the fenced action still ran");
    }

    [Fact]
    public async Task A_failing_action_propagates_and_the_epoch_stays()
    {
        var epoch = await Epochs.NextAsync("f", "h", CancellationToken.None);
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Epochs.RunIfCurrentAsync("f", epoch, _ => throw new InvalidOperationException("disk full"), CancellationToken.None));
        Assert.Equal(epoch, await Epochs.CurrentAsync("f", CancellationToken.None));
        Assert.Equal(epoch + 1, await Epochs.NextAsync("f", "h", CancellationToken.None));
    }

    [Fact]
    public async Task The_fencing_table_keeps_its_own_migrations_history()
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FencingDbContext>();
        Assert.Equal([NasSav.Coordination.Locking.Fencing.Migrations.M0001_FencingEpochs.Id], await db.Database.GetAppliedMigrationsAsync());
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM \"{FencingDbContext.HistoryTable}\"";
        Assert.Equal(1L, Convert.ToInt64(await command.ExecuteScalarAsync()));
    }
}

public sealed class PostgresFencingEpochsTests : FencingEpochsContract
{
    protected override bool Postgres => true;
}

public sealed class SqliteFencingEpochsTests : FencingEpochsContract
{
    protected override bool Postgres => false;
}
