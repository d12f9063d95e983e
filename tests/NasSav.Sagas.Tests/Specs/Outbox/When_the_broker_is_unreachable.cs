using MassTransit;
using Microsoft.EntityFrameworkCore;
using NasSav.Sagas.Tests.TestSaga;
using NasSav.Testing;

namespace NasSav.Sagas.Tests.Specs.Outbox;

/// <summary>
/// RabbitMQ goes away after a commit (the 8 s outage): the committed message stays in the outbox, every
/// attempt fails and is counted, and it is delivered once the broker is reachable again.
/// </summary>
public sealed class When_the_broker_is_unreachable
{
    [Theory]
    [MemberData(nameof(Stores.Ef), MemberType = typeof(Stores))]
    public async Task Should_keep_the_message_and_deliver_it_when_the_broker_is_back(SagaStore store)
    {
        // Durable queues, as in production (an auto-delete queue would go with the lost connection, and what was
        // published meanwhile with it); a vhost of the test's own takes them away afterwards.
        await using var vhost = await RabbitVhost.CreateAsync();
        var broker = new Uri(vhost.AmqpUri);
        await using var proxy = TcpProxy.Start(broker.Host, broker.Port);
        var viaProxy = new UriBuilder(broker) { Port = proxy.Port }.Uri.ToString();
        await using var host = await SagaHost.StartAsync(store, viaProxy, durableQueues: vhost.Name is not null, outbox: new Dictionary<string, string?>
        {
            ["Outbox:SendTimeout"] = "00:00:01",
            ["Outbox:RetryMinDelay"] = "00:00:00.200",
            ["Outbox:RetryMaxDelay"] = "00:00:01",
            ["Outbox:PollInterval"] = "00:00:00.200",
        });
        var before = NewId.NextGuid();
        await host.PublishThroughOutboxAsync(new SubmitOrder(before, "kai"));
        Assert.Equal(before, await host.Saga.Exists(before, m => m.Submitted));
        await host.WaitUntilAsync(async () => (await host.OutboxAsync()).Count == 0, "the first row to be deleted");

        proxy.Cut();
        var id = NewId.NextGuid();
        await host.PublishThroughOutboxAsync(new SubmitOrder(id, "lea"));

        await host.WaitUntilAsync(async () => (await host.OutboxAsync()).SingleOrDefault() is { Attempts: >= 2 }, "two failed deliveries");
        var waiting = Assert.Single(await host.OutboxAsync());
        Assert.NotNull(waiting.LastError);
        Assert.False(await host.ReadAsync(db => db.Orders.AnyAsync(x => x.CorrelationId == id)));

        proxy.Restore();

        await host.WaitUntilAsync(() => host.ReadAsync(db => db.Orders.AnyAsync(x => x.CorrelationId == id)), "the order, once the broker is back");
        await host.WaitUntilAsync(async () => (await host.OutboxAsync()).Count == 0, "the delivered row to be deleted");
    }
}
