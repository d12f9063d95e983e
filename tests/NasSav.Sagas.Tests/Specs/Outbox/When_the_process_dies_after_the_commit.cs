using MassTransit;
using Microsoft.EntityFrameworkCore;
using NasSav.Sagas.Tests.TestSaga;

namespace NasSav.Sagas.Tests.Specs.Outbox;

/// <summary>
/// The saga committed, then its process died before its dispatcher sent anything (kill -9 between commit and
/// publish). The messages are rows of that commit; the next process delivers them once the dead one's claim expires.
/// </summary>
public sealed class When_the_process_dies_after_the_commit
{
    private static readonly Dictionary<string, string?> ShortClaims = new() { ["Outbox:LockTimeout"] = "00:00:02", ["Outbox:PollInterval"] = "00:00:00.200" };

    [Theory]
    [MemberData(nameof(Stores.Ef), MemberType = typeof(Stores))]
    public async Task Should_deliver_the_committed_messages_from_the_next_process(SagaStore store)
    {
        await using var database = await SagaDatabase.CreateAsync(store);
        var id = NewId.NextGuid();

        await using (var first = await SagaHost.StartAsync(store, outbox: ShortClaims, database: database, startDispatcher: false))
        {
            await first.Publish(new SubmitOrder(id, "eve"));
            await first.WaitUntilAsync(() => first.ReadAsync(db => db.Orders.AnyAsync(x => x.CorrelationId == id)), "the saga row");
            // OrderAccepted is a row of the saga's commit, claimed by this process for its own dispatcher: never sent.
            var row = Assert.Single(await first.OutboxAsync());
            Assert.Contains("OrderAccepted", row.MessageType);
            Assert.Equal(first.Dispatcher.Instance, row.LockedBy);
            Assert.False(await first.Harness.Published.Any<OrderAccepted>(x => x.Context.Message.OrderId == id));
        }

        await using var second = await SagaHost.StartAsync(store, outbox: ShortClaims, database: database);
        // Once the dead process's claim has expired (the harness's own wait ends at the first quiet second).
        await second.WaitUntilAsync(() => Task.FromResult(second.Harness.Published.Select<OrderAccepted>(x => x.Context.Message.OrderId == id).Any()),
            "OrderAccepted from the second process");
        await second.WaitUntilAsync(async () => (await second.OutboxAsync()).Count == 0, "the delivered row to be deleted");
    }
}
