using System.Collections.Concurrent;
using MassTransit;

namespace NasSav.Downloader.Worker.Tests;

/// <summary>
/// Every message published on the bus (through the root bus or a consume context's outbox), in publication order.
/// The test harness's own lists wait for bus inactivity when enumerated, which hides timing; this does not.
/// </summary>
public sealed class PublishRecorder : IPublishObserver
{
    private readonly ConcurrentQueue<object> _messages = new();

    public List<T> Of<T>(Func<T, bool>? where = null) => _messages.OfType<T>().Where(m => where is null || where(m)).ToList();

    public Task PrePublish<T>(PublishContext<T> context) where T : class => Task.CompletedTask;

    public Task PostPublish<T>(PublishContext<T> context) where T : class
    {
        _messages.Enqueue(context.Message);
        return Task.CompletedTask;
    }

    public Task PublishFault<T>(PublishContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}
