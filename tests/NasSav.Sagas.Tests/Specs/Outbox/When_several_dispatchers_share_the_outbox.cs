using MassTransit;
using NasSav.Sagas.Tests.TestSaga;

namespace NasSav.Sagas.Tests.Specs.Outbox;

/// <summary>Two processes (two catalog instances) poll one outbox: every row goes out once.</summary>
public sealed class When_several_dispatchers_share_the_outbox
{
    private const int Rows = 200;
    private static readonly Dictionary<string, string?> SmallBatches = new()
    {
        ["Outbox:PollInterval"] = "00:00:00.050", ["Outbox:BatchSize"] = "7", ["Outbox:LockTimeout"] = "00:00:01",
    };

    [Theory]
    [MemberData(nameof(Stores.Ef), MemberType = typeof(Stores))]
    public async Task Should_deliver_each_row_exactly_once(SagaStore store)
    {
        await using var database = await SagaDatabase.CreateAsync(store);
        var order = NewId.NextGuid();
        // Written by an instance that stopped before sending: its claims expire, then anyone may take the rows.
        await using (var writer = await SagaHost.StartAsync(store, outbox: SmallBatches, database: database, startDispatcher: false))
            await writer.PublishThroughOutboxAsync(Enumerable.Range(0, Rows).Select(i => (object)new NoteRecorded(order, $"note {i}")).ToArray());
        await using var one = await SagaHost.StartAsync(store, outbox: SmallBatches, database: database, startDispatcher: false);
        await using var two = await SagaHost.StartAsync(store, outbox: SmallBatches, database: database, startDispatcher: false);

        await Task.WhenAll(one.Dispatcher.StartAsync(CancellationToken.None), two.Dispatcher.StartAsync(CancellationToken.None));

        await one.WaitUntilAsync(async () => (await one.OutboxAsync()).Count == 0, "the outbox to empty");
        var sent = one.Harness.Published.Select<NoteRecorded>(x => x.Context.Message.OrderId == order)
            .Concat(two.Harness.Published.Select<NoteRecorded>(x => x.Context.Message.OrderId == order))
            .Select(x => x.Context.Message.Text).ToList();
        Assert.Equal(Rows, sent.Count);
        Assert.Equal(Rows, sent.Distinct().Count());
        // Which dispatcher delivers how many is up to the scheduler (on a loaded machine, or with SQLite's one writer,
        // one of them may take every batch): only the sum is the outbox's promise.
        Assert.Equal(Rows, one.Dispatcher.Delivered + two.Dispatcher.Delivered);
    }
}
