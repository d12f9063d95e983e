using MassTransit;
using Microsoft.EntityFrameworkCore;
using NasSav.Sagas.Tests.TestSaga;
using NasSav.Testing;

namespace NasSav.Sagas.Tests.Specs;

/// <summary>The distributed deployment: same repository, same definition, the saga endpoint on RabbitMQ.</summary>
public sealed class When_the_bus_is_RabbitMQ
{
    private const int Messages = 30;

    [Theory]
    [MemberData(nameof(Stores.Ef), MemberType = typeof(Stores))]
    public async Task Should_create_count_and_finalize_the_instance(SagaStore store)
    {
        await using var host = await SagaHost.StartAsync(store, await LocalServers.RabbitMqAsync());
        var id = NewId.NextGuid();
        await host.Publish(new SubmitOrder(id, "kim"));
        Assert.Equal(id, await host.Saga.Exists(id, m => m.Submitted));

        await Task.WhenAll(Enumerable.Range(0, Messages).Select(_ => host.Publish(new CountOrder(id))));

        await host.WaitUntilAsync(async () => (await host.LoadAsync(id))?.Counter >= Messages, $"the counter to reach {Messages}");
        var row = await host.ReadAsync(db => db.Orders.AsNoTracking().SingleAsync(x => x.CorrelationId == id));
        Assert.Equal((Messages, Messages + 1, 0), (row.Counter, row.Version, row.Retried));

        await host.Publish(new CompleteOrder(id));
        await host.WaitUntilAsync(async () => !await host.ReadAsync(db => db.Orders.AnyAsync(x => x.CorrelationId == id)), "the row to go");
    }
}
