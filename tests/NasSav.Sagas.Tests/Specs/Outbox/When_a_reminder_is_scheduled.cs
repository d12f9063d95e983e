using MassTransit;
using Microsoft.EntityFrameworkCore;
using NasSav.Sagas.Tests.TestSaga;
using NasSav.Sagas.Outbox;

namespace NasSav.Sagas.Tests.Specs.Outbox;

/// <summary>
/// A saga's scheduled message (the lifecycle's step timeout) is an outbox row due at its time: written, cancelled and
/// rolled back with the saga's transaction, and delivered by whichever process runs when it is due.
/// </summary>
public sealed class When_a_reminder_is_scheduled
{
    private static readonly Dictionary<string, string?> FastPolls = new() { ["Outbox:PollInterval"] = "00:00:00.100", ["Outbox:LockTimeout"] = "00:00:02" };

    [Theory]
    [MemberData(nameof(Stores.Ef), MemberType = typeof(Stores))]
    public async Task Should_store_it_as_a_due_row_and_deliver_it_when_due(SagaStore store)
    {
        await using var host = await SagaHost.StartAsync(store, outbox: FastPolls);
        var id = await SubmittedAsync(host, "gil");

        await host.Publish(new ArmReminder(id, 30));

        var saga = await WaitForAsync(host, id, s => s.ReminderTokenId is not null, "the reminder to be scheduled");
        var row = Assert.Single(await host.OutboxAsync(), r => r.TokenId is not null);
        Assert.Equal(saga.ReminderTokenId, row.TokenId);
        Assert.InRange(row.DueAt - row.CreatedAt, TimeSpan.FromSeconds(29), TimeSpan.FromSeconds(31));
        Assert.Equal(0, (await host.ReadAsync(db => db.Orders.AsNoTracking().SingleAsync(x => x.CorrelationId == id))).Reminded);

        await MakeDueNowAsync(host);
        await WaitForAsync(host, id, s => s.Reminded == 1, "the reminder");
        await host.WaitUntilAsync(async () => (await host.OutboxAsync()).Count == 0, "the delivered rows to be deleted");
    }

    [Theory]
    [MemberData(nameof(Stores.Ef), MemberType = typeof(Stores))]
    public async Task Should_remove_it_when_the_cancel_commits(SagaStore store)
    {
        await using var host = await SagaHost.StartAsync(store, outbox: FastPolls);
        var id = await SubmittedAsync(host, "hal");
        await host.Publish(new ArmReminder(id, 30));
        await WaitForAsync(host, id, s => s.ReminderTokenId is not null, "the reminder to be scheduled");

        await host.Publish(new DisarmReminder(id));

        await WaitForAsync(host, id, s => s.ReminderTokenId is null, "the reminder to be cancelled");
        Assert.DoesNotContain(await host.OutboxAsync(), r => r.TokenId is not null);
    }

    /// <summary>The stuck sagas: a failed attempt cancelled its in-memory timer although the database rolled back.</summary>
    [Theory]
    [MemberData(nameof(Stores.Ef), MemberType = typeof(Stores))]
    public async Task Should_keep_it_when_the_cancelling_attempt_rolls_back(SagaStore store)
    {
        await using var host = await SagaHost.StartAsync(store, outbox: FastPolls);
        var id = await SubmittedAsync(host, "ida");
        await host.Publish(new ArmReminder(id, 30));
        var armed = await WaitForAsync(host, id, s => s.ReminderTokenId is not null, "the reminder to be scheduled");

        await host.Publish(new DisarmReminder(id, FailAfterwards: true));
        await host.WaitUntilAsync(() => Task.FromResult(host.Harness.Published.Select<Fault<DisarmReminder>>().Any()), "the disarm to fault");

        // The cancel was part of the rolled-back attempt: the row and the saga's token are as before, and it fires.
        Assert.Equal(armed.ReminderTokenId, Assert.Single(await host.OutboxAsync(), r => r.TokenId is not null).TokenId);
        Assert.Equal(armed.ReminderTokenId, (await host.ReadAsync(db => db.Orders.AsNoTracking().SingleAsync(x => x.CorrelationId == id))).ReminderTokenId);
        await MakeDueNowAsync(host);
        await WaitForAsync(host, id, s => s.Reminded == 1, "the reminder to fire anyway");
    }

    [Theory]
    [MemberData(nameof(Stores.Ef), MemberType = typeof(Stores))]
    public async Task Should_fire_in_the_process_that_runs_when_it_is_due(SagaStore store)
    {
        await using var database = await SagaDatabase.CreateAsync(store);
        Guid id;
        await using (var first = await SagaHost.StartAsync(store, outbox: FastPolls, database: database))
        {
            id = await SubmittedAsync(first, "jo");
            await first.Publish(new ArmReminder(id, 30));
            await WaitForAsync(first, id, s => s.ReminderTokenId is not null, "the reminder to be scheduled");
        }
        // It falls due while no process runs.
        await using (var gap = await SagaHost.StartAsync(store, outbox: FastPolls, database: database, startDispatcher: false))
            await MakeDueNowAsync(gap);

        await using var second = await SagaHost.StartAsync(store, outbox: FastPolls, database: database);
        await WaitForAsync(second, id, s => s.Reminded == 1, "the reminder, in the restarted process");
    }

    /// <summary>Time passes: the scheduled rows are due now (instead of waiting out their delay).</summary>
    private static Task MakeDueNowAsync(SagaHost host) =>
        host.ReadAsync(db => db.Set<OutboxMessage>().Where(x => x.TokenId != null)
            .ExecuteUpdateAsync(x => x.SetProperty(r => r.DueAt, DateTime.UtcNow)));

    private static async Task<Guid> SubmittedAsync(SagaHost host, string customer)
    {
        var id = NewId.NextGuid();
        await host.Publish(new SubmitOrder(id, customer));
        await WaitForAsync(host, id, s => s.CurrentState == "Submitted", "the order");
        return id;
    }

    private static async Task<OrderState> WaitForAsync(SagaHost host, Guid id, Func<OrderState, bool> condition, string what)
    {
        OrderState? saga = null;
        await host.WaitUntilAsync(async () =>
        {
            saga = await host.ReadAsync(db => db.Orders.AsNoTracking().SingleOrDefaultAsync(x => x.CorrelationId == id));
            return saga is not null && condition(saga);
        }, what);
        return saga!;
    }
}
