using MassTransit;
using MassTransit.Context;
using MassTransit.Scheduling;

namespace NasSav.Sagas.Outbox;

/// <summary>
/// Scheduled messages as outbox rows due at their time: written, cancelled and rolled back with the consuming
/// transaction, delivered by whichever dispatcher polls after they are due, so they survive restarts. The message
/// carries the scheduling token header a state machine's <c>Schedule</c> checks, exactly as MassTransit's own
/// schedulers set it; cancelling removes the row.
/// </summary>
internal sealed class OutboxScheduleMessageProvider(ISendEndpointProvider outboxSends, OutboxCapture capture) : IScheduleMessageProvider
{
    public async Task<ScheduledMessage<T>> ScheduleSend<T>(Uri destinationAddress, DateTime scheduledTime, T message, IPipe<SendContext<T>> pipe,
        CancellationToken cancellationToken) where T : class
    {
        var tokenId = NewId.NextGuid();
        var due = scheduledTime.Kind switch
        {
            DateTimeKind.Unspecified => DateTime.SpecifyKind(scheduledTime, DateTimeKind.Utc),
            _ => scheduledTime.ToUniversalTime(),
        };
        var endpoint = await outboxSends.GetSendEndpoint(destinationAddress);
        await endpoint.Send(message, Pipe.ExecuteAsync<SendContext<T>>(async context =>
        {
            context.ScheduledMessageId = tokenId;
            context.Headers.Set(MessageHeaders.SchedulingTokenId, tokenId.ToString("N"));
            if (pipe.IsNotEmpty()) await pipe.Send(context);
            // A delay makes the outbox row a scheduled one (due then, cancellable by its token); at least one tick,
            // so a time already past is still a scheduled row rather than an ordinary send.
            var delay = due - DateTime.UtcNow;
            context.Delay = delay > TimeSpan.Zero ? delay : TimeSpan.FromTicks(1);
        }), cancellationToken);
        return new ScheduledMessageHandle<T>(tokenId, due, destinationAddress, message);
    }

    public Task CancelScheduledSend(Guid tokenId, CancellationToken cancellationToken) => capture.CancelScheduledAsync(tokenId, cancellationToken);

    public Task CancelScheduledSend(Uri destinationAddress, Guid tokenId, CancellationToken cancellationToken) =>
        capture.CancelScheduledAsync(tokenId, cancellationToken);
}

/// <summary>The scheduler consumers behind the outbox filter get (<c>context.GetPayload&lt;MessageSchedulerContext&gt;()</c>).</summary>
internal static class OutboxSchedulerContext
{
    public static MessageSchedulerContext Create(ConsumeContext outbox, OutboxCapture capture) =>
        new ConsumeMessageSchedulerContext(outbox, ctx => new MessageScheduler(
            new OutboxScheduleMessageProvider(ctx.ReceiveContext.SendEndpointProvider, capture), ctx.GetPayload<IBusTopology>()));
}
