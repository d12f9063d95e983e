using MassTransit;
using Microsoft.EntityFrameworkCore;
using NasSav.Sagas.Tests.TestSaga;

namespace NasSav.Sagas.Tests.Specs;

public sealed class When_an_order_is_counted
{
    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task Should_update_the_existing_instance(SagaStore store)
    {
        await using var host = await SagaHost.StartAsync(store);
        var id = NewId.NextGuid();
        await host.Publish(new SubmitOrder(id, "dan"));
        Assert.Equal(id, await host.Saga.Exists(id, m => m.Submitted));

        await host.Publish(new CountOrder(id));

        await host.WaitUntilAsync(async () => (await host.LoadAsync(id))?.Counter == 1, "the counter to reach 1");
        if (host.IsEf)
        {
            var row = await host.ReadAsync(db => db.Orders.AsNoTracking().SingleAsync(x => x.CorrelationId == id));
            Assert.Equal(("Submitted", "dan", 1, 2), (row.CurrentState, row.Customer, row.Counter, row.Version));
        }
    }
}
