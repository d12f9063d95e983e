using MassTransit;
using Microsoft.EntityFrameworkCore;
using NasSav.Sagas.Tests.TestSaga;
using NasSav.Sagas.Outbox;

namespace NasSav.Sagas.Tests.Specs.Outbox;

/// <summary>A broker redelivery, or an outbox row sent twice: the same message id reaches the saga again.</summary>
public sealed class When_a_message_is_delivered_twice
{
    [Theory]
    [MemberData(nameof(Stores.Ef), MemberType = typeof(Stores))]
    public async Task Should_apply_it_once_and_acknowledge_the_copy(SagaStore store)
    {
        await using var host = await SagaHost.StartAsync(store);
        var id = NewId.NextGuid();
        await host.Publish(new SubmitOrder(id, "fay"));
        Assert.Equal(id, await host.Saga.Exists(id, m => m.Submitted));

        var received = new ReceivedMessages();
        using var observing = host.Harness.Bus.ConnectReceiveObserver(received);
        var messageId = NewId.NextGuid();
        await host.Harness.Bus.Publish(new CountOrder(id), c => c.MessageId = messageId);
        await host.Harness.Bus.Publish(new CountOrder(id), c => c.MessageId = messageId);
        await host.Harness.Bus.Publish(new CountOrder(id));

        await host.WaitUntilAsync(() => Task.FromResult(received.Completed(messageId) == 2), "both copies to be received and acknowledged");
        await host.WaitUntilAsync(() => Task.FromResult(received.Completed() == 3), "the third message to be received");
        Assert.Equal(0, received.Faulted);
        var saga = await host.ReadAsync(db => db.Orders.AsNoTracking().SingleAsync(x => x.CorrelationId == id));
        Assert.Equal(2, saga.Counter);
        Assert.Equal(1, await host.ReadAsync(db => db.Set<InboxMessage>().CountAsync(x => x.MessageId == messageId)));
    }
}

/// <summary>Receives that completed (acknowledged), by message id; the inbox's copy never reaches a consumer.</summary>
public sealed class ReceivedMessages : IReceiveObserver
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<Guid?> _completed = new();
    private int _faulted;

    public int Faulted => Volatile.Read(ref _faulted);

    public int Completed(Guid? messageId = null) => _completed.Count(x => messageId is null || x == messageId);

    public Task PreReceive(ReceiveContext context) => Task.CompletedTask;

    public Task PostReceive(ReceiveContext context)
    {
        _completed.Enqueue(context.GetMessageId());
        return Task.CompletedTask;
    }

    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType) where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception) where T : class
    {
        Interlocked.Increment(ref _faulted);
        return Task.CompletedTask;
    }

    public Task ReceiveFault(ReceiveContext context, Exception exception)
    {
        Interlocked.Increment(ref _faulted);
        return Task.CompletedTask;
    }
}
