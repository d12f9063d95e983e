using MassTransit;
using Microsoft.EntityFrameworkCore;
using NasSav.Sagas.Tests.TestSaga;

namespace NasSav.Sagas.Tests.Specs;

/// <summary>
/// The lifecycle saga changes library rows in the saga's transaction: the activity gets the message's scoped
/// DbContext, which is the repository's, and never calls SaveChanges itself.
/// </summary>
public sealed class When_an_activity_writes_through_the_scoped_DbContext
{
    [Theory]
    [MemberData(nameof(Stores.Ef), MemberType = typeof(Stores))]
    public async Task Should_commit_the_entity_with_the_saga_row(SagaStore store)
    {
        await using var host = await SagaHost.StartAsync(store);
        var id = NewId.NextGuid();
        await host.Publish(new SubmitOrder(id, "fay"));
        Assert.Equal(id, await host.Saga.Exists(id, m => m.Submitted));

        await host.Publish(new RecordNote(id, "first note"));

        Assert.True(await host.Harness.Published.Any<NoteRecorded>(x => x.Context.Message.OrderId == id));
        var (notes, saga) = await host.ReadAsync(async db => (
            await db.Notes.AsNoTracking().Where(x => x.OrderId == id).Select(x => x.Text).ToListAsync(),
            await db.Orders.AsNoTracking().SingleAsync(x => x.CorrelationId == id)));
        Assert.Equal(["first note"], notes);
        Assert.Equal((1, 2), (saga.Notes, saga.Version));
    }

    [Theory]
    [MemberData(nameof(Stores.Ef), MemberType = typeof(Stores))]
    public async Task Should_write_nothing_when_the_activity_throws(SagaStore store)
    {
        await using var host = await SagaHost.StartAsync(store);
        var id = NewId.NextGuid();
        await host.Publish(new SubmitOrder(id, "gus"));
        Assert.Equal(id, await host.Saga.Exists(id, m => m.Submitted));

        await host.Publish(new RecordNote(id, "half written", FailInActivity: true));

        await host.WaitForFaultAsync<RecordNote>();
        var (notes, saga) = await host.ReadAsync(async db => (
            await db.Notes.AsNoTracking().CountAsync(x => x.OrderId == id),
            await db.Orders.AsNoTracking().SingleAsync(x => x.CorrelationId == id)));
        Assert.Equal(0, notes);
        Assert.Equal((0, 1), (saga.Notes, saga.Version));
        Assert.False(await host.Harness.Published.Any<NoteRecorded>(x => x.Context.Message.OrderId == id));

        // The instance is not wedged: the next message goes through. (The harness went inactive above, so
        // its Any no longer waits: wait on the database.)
        await host.Publish(new RecordNote(id, "second try"));
        await host.WaitUntilAsync(() => host.ReadAsync(db => db.Notes.AnyAsync(x => x.OrderId == id)), "the second note");
        var after = await host.ReadAsync(db => db.Orders.AsNoTracking().SingleAsync(x => x.CorrelationId == id));
        Assert.Equal((1, 2), (after.Notes, after.Version));
    }
}
