using MassTransit;
using Microsoft.EntityFrameworkCore;
using NasSav.Sagas.Tests.TestSaga;

namespace NasSav.Sagas.Tests.Specs;

public sealed class When_an_order_is_submitted
{
    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task Should_create_an_instance_in_the_submitted_state(SagaStore store)
    {
        await using var host = await SagaHost.StartAsync(store);
        var id = NewId.NextGuid();

        await host.Publish(new SubmitOrder(id, "ann"));

        Assert.Equal(id, await host.Saga.Exists(id, m => m.Submitted));
        var loaded = await host.LoadAsync(id);
        Assert.NotNull(loaded);
        Assert.Equal("ann", loaded.Customer);
        if (host.IsEf)
        {
            var row = await host.ReadAsync(db => db.Orders.AsNoTracking().SingleAsync(x => x.CorrelationId == id));
            Assert.Equal("Submitted", row.CurrentState);
            Assert.Equal("ann", row.Customer);
            Assert.Equal(1, row.Version);
        }
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task Should_publish_the_acceptance_only_after_the_state_is_committed(SagaStore store)
    {
        await using var host = await SagaHost.StartAsync(store);
        var id = NewId.NextGuid();

        await host.Publish(new SubmitOrder(id, "bob"));

        Assert.True(await host.Harness.Published.Any<OrderAccepted>(x => x.Context.Message.OrderId == id));
        // The outbox released the event after the repository committed: the row is there the moment the event is.
        if (host.IsEf)
            Assert.True(await host.ReadAsync(db => db.Orders.AnyAsync(x => x.CorrelationId == id)));
        else
            Assert.NotNull(await host.LoadAsync(id));
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task Should_be_found_by_the_harness_by_id_and_by_query(SagaStore store)
    {
        await using var host = await SagaHost.StartAsync(store);
        var id = NewId.NextGuid();
        var customer = "carol-" + id.ToString("N")[..8];

        await host.Publish(new SubmitOrder(id, customer));

        Assert.Equal(id, await host.Saga.Exists(id));
        var found = await host.Saga.Exists(x => x.Customer == customer, m => m.Submitted);
        Assert.Equal([id], found);
        Assert.Null(await host.LoadAsync(NewId.NextGuid()));
    }
}
