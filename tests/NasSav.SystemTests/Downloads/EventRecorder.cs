using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using NasSav.Contracts.Downloads;

namespace NasSav.SystemTests.Downloads;

/// <summary>
/// A bus of the test's own on the set's RabbitMQ vhost: publishes DownloadVideo and records every download event
/// (on a temporary queue of its own, like a gateway's feed) in arrival order.
/// </summary>
public sealed class EventRecorder : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly IBusControl _bus;

    public ConcurrentQueue<object> Events { get; } = new();

    private EventRecorder(ServiceProvider services)
    {
        _services = services;
        _bus = services.GetRequiredService<IBusControl>();
    }

    public static async Task<EventRecorder> StartAsync(string amqpUri)
    {
        var services = new ServiceCollection();
        EventRecorder? recorder = null;
        services.AddSingleton(_ => recorder!);
        services.AddMassTransit(x =>
        {
            x.AddConsumer<Recording>().Endpoint(e =>
            {
                e.Name = $"systest-download-events-{Guid.NewGuid():N}";
                e.Temporary = true;
            });
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(new Uri(amqpUri));
                cfg.ConfigureEndpoints(context);
            });
        });
        var provider = services.BuildServiceProvider();
        recorder = new EventRecorder(provider);
        using var start = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await recorder._bus.StartAsync(start.Token);
        return recorder;
    }

    /// <summary>
    /// Published (the message type's exchange is bound to the download-video queue). Not sent to queue:download-video:
    /// a send endpoint declares that queue without x-single-active-consumer and the broker refuses the mismatch.
    /// </summary>
    public Task SendAsync(DownloadVideo message) => _bus.Publish(message);

    public List<T> Of<T>(Func<T, bool>? where = null) => Events.OfType<T>().Where(e => where is null || where(e)).ToList();

    public async ValueTask DisposeAsync()
    {
        await _bus.StopAsync();
        await _services.DisposeAsync();
    }

    private sealed class Recording(EventRecorder recorder) :
        IConsumer<DownloadStarted>, IConsumer<DownloadProgressed>, IConsumer<DownloadCompleted>, IConsumer<DownloadFailed>
    {
        public Task Consume(ConsumeContext<DownloadStarted> context) => Add(context.Message);
        public Task Consume(ConsumeContext<DownloadProgressed> context) => Add(context.Message);
        public Task Consume(ConsumeContext<DownloadCompleted> context) => Add(context.Message);
        public Task Consume(ConsumeContext<DownloadFailed> context) => Add(context.Message);

        private Task Add(object message)
        {
            recorder.Events.Enqueue(message);
            return Task.CompletedTask;
        }
    }
}
