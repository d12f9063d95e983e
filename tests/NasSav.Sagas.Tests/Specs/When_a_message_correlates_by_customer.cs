using MassTransit;
using NasSav.Sagas.Tests.TestSaga;

namespace NasSav.Sagas.Tests.Specs;

/// <summary>CorrelateBy goes through the repository's query path: find, lock and load every match.</summary>
public sealed class When_a_message_correlates_by_customer
{
    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task Should_update_every_matching_instance_and_no_other(SagaStore store)
    {
        await using var host = await SagaHost.StartAsync(store);
        var customer = "jan-" + NewId.NextGuid().ToString("N")[..8];
        Guid first = NewId.NextGuid(), second = NewId.NextGuid(), stranger = NewId.NextGuid();
        await host.Publish(new SubmitOrder(first, customer));
        await host.Publish(new SubmitOrder(second, customer));
        await host.Publish(new SubmitOrder(stranger, "someone else"));
        foreach (var id in new[] { first, second, stranger })
            Assert.Equal(id, await host.Saga.Exists(id, m => m.Submitted));

        await host.Publish(new NotifyCustomer(customer));

        await host.WaitUntilAsync(async () => (await host.LoadAsync(first))?.Notices == 1 && (await host.LoadAsync(second))?.Notices == 1,
            "both matching orders to be notified");
        Assert.False(await host.FaultedAsync<NotifyCustomer>());
        Assert.Equal(0, (await host.LoadAsync(stranger))!.Notices);
    }
}
