using MassTransit;
using Microsoft.EntityFrameworkCore;
using NasSav.Sagas.Tests.TestSaga;

namespace NasSav.Sagas.Tests.Specs;

public sealed class When_an_order_is_completed
{
    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task Should_delete_the_finalized_instance(SagaStore store)
    {
        await using var host = await SagaHost.StartAsync(store);
        var id = NewId.NextGuid();
        var other = NewId.NextGuid();
        await host.Publish(new SubmitOrder(id, "eve"));
        await host.Publish(new SubmitOrder(other, "eve"));
        Assert.Equal(id, await host.Saga.Exists(id, m => m.Submitted));
        Assert.Equal(other, await host.Saga.Exists(other, m => m.Submitted));

        await host.Publish(new CompleteOrder(id));

        await host.WaitUntilAsync(async () => await host.LoadAsync(id) is null, "the finalized instance to go");
        Assert.NotNull(await host.LoadAsync(other));
        if (host.IsEf)
        {
            Assert.False(await host.ReadAsync(db => db.Orders.AnyAsync(x => x.CorrelationId == id)));
            Assert.True(await host.ReadAsync(db => db.Orders.AnyAsync(x => x.CorrelationId == other)));
        }
    }
}
