using MassTransit;
using NasSav.Contracts.Queue;

namespace NasSav.Catalog.Queue;

/// <summary>
/// Catalog-internal: a download entered or left the queue. The saga publishes it through its outbox, so the
/// queue read here already includes that change.
/// </summary>
public sealed record DownloadQueueChanged
{
    public required string Avid { get; init; }
}

/// <summary>Reads the queue after a change and publishes it to every gateway (QueueStatusChanged → queue_status).</summary>
public sealed class QueueStatusPublisher(IQueueStatusSource source) : IConsumer<DownloadQueueChanged>
{
    public async Task Consume(ConsumeContext<DownloadQueueChanged> context) =>
        await context.Publish(new QueueStatusChanged { Status = await source.GetAsync(context.CancellationToken) });
}

public sealed class QueueStatusPublisherDefinition : ConsumerDefinition<QueueStatusPublisher>
{
    public QueueStatusPublisherDefinition()
    {
        EndpointName = "catalog-queue-status";
        // One at a time per instance, so snapshots read later are published later.
        ConcurrentMessageLimit = 1;
    }
}
