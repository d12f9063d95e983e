using MassTransit;
using NasSav.Contracts.Queue;

namespace NasSav.Gateway.WebSockets;

/// <summary>
/// Runs on this gateway instance's own temporary queue (see <see cref="FeedRegistration"/>), so every
/// instance sees every change and pushes it to its own clients.
/// </summary>
public sealed class QueueStatusChangedConsumer(FeedHub hub) : IConsumer<QueueStatusChanged>
{
    public Task Consume(ConsumeContext<QueueStatusChanged> context)
    {
        hub.Broadcast(new OutgoingFrame(FrameKind.Snapshot, QueueStatusJson.Frame(context.Message.Status)));
        return Task.CompletedTask;
    }
}
