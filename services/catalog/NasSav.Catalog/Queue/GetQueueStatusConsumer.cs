using MassTransit;
using NasSav.Contracts.Queue;

namespace NasSav.Catalog.Queue;

/// <summary>Answers <see cref="GetQueueStatus"/> requests (the gateway's WebSocket "get_queue_status").</summary>
public sealed class GetQueueStatusConsumer(IQueueStatusSource source) : IConsumer<GetQueueStatus>
{
    public async Task Consume(ConsumeContext<GetQueueStatus> context) =>
        await context.RespondAsync(await source.GetAsync(context.CancellationToken));
}
