using MassTransit;
using Microsoft.EntityFrameworkCore;
using NasSav.Sagas.Tests.TestSaga;

namespace NasSav.Sagas.Tests.Specs;

/// <summary>The saga published, then the commit failed: its outbox rows rolled back with it, nothing leaves.</summary>
public sealed class When_the_save_fails
{
    [Theory]
    [MemberData(nameof(Stores.Ef), MemberType = typeof(Stores))]
    public async Task Should_not_deliver_the_events_the_saga_published(SagaStore store)
    {
        await using var host = await SagaHost.StartAsync(store);
        var id = NewId.NextGuid();
        await host.Publish(new SubmitOrder(id, "hal"));
        Assert.Equal(id, await host.Saga.Exists(id, m => m.Submitted));

        // A note without text breaks NOT NULL at SaveChanges, after NoteRecorded was published.
        await host.Publish(new RecordNote(id, Text: null));

        await host.WaitForFaultAsync<RecordNote>();
        Assert.False(await host.Harness.Published.Any<NoteRecorded>(x => x.Context.Message.OrderId == id));
        var saga = await host.ReadAsync(db => db.Orders.AsNoTracking().SingleAsync(x => x.CorrelationId == id));
        Assert.Equal((0, 1), (saga.Notes, saga.Version));
        Assert.Equal(0, await host.ReadAsync(db => db.Notes.CountAsync(x => x.OrderId == id)));
    }
}
