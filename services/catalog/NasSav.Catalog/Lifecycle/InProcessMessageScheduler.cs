using System.Collections.Concurrent;
using MassTransit;
using MassTransit.Context;
using MassTransit.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace NasSav.Catalog.Lifecycle;

/// <summary>
/// The saga's step timeouts, scheduled in this process. MassTransit 8.4's choices were: the delayed
/// scheduler (<c>AddDelayedMessageScheduler</c>: native on the in-memory transport, but RabbitMQ needs the
/// delayed-exchange plug-in, which we do not have), a Quartz/Hangfire scheduler service (packages we do not
/// have) or this: a timer per scheduled message that, when due, sends the message to its destination (the
/// saga's own queue) through the bus, with the MT-Scheduling-TokenId header the state machine's
/// <c>Schedule</c> checks. It works the same on both transports with no plug-in.
/// <para>
/// The price: timers live in memory. A catalog that stops loses its pending timeouts; a request that later
/// finds an instance busy past its <see cref="ResourceLifecycle.StepDeadline"/> restarts it (see
/// LifecycleSteps), so nothing stays stuck. A stale timeout that fires after its step finished on another
/// catalog instance is ignored by the token check.
/// </para>
/// </summary>
public sealed class InProcessMessageScheduler(IServiceProvider services, TimeProvider clock, ILogger<InProcessMessageScheduler> logger)
    : IScheduleMessageProvider, IDisposable
{
    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> _timers = new();
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Scheduled messages not yet sent or cancelled (tests check that timers are cleaned up).</summary>
    public int PendingCount => _timers.Count;

    /// <summary>Messages scheduled since start.</summary>
    public long ScheduledCount => Interlocked.Read(ref _scheduled);

    private long _scheduled;

    public Task<ScheduledMessage<T>> ScheduleSend<T>(Uri destinationAddress, DateTime scheduledTime, T message, IPipe<SendContext<T>> pipe,
        CancellationToken cancellationToken) where T : class
    {
        var tokenId = NewId.NextGuid();
        Interlocked.Increment(ref _scheduled);
        var cts = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        _timers[tokenId] = cts;
        var due = DateTime.SpecifyKind(scheduledTime, scheduledTime.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : scheduledTime.Kind).ToUniversalTime();
        var delay = due - clock.GetUtcNow().UtcDateTime;
        _ = FireAsync(tokenId, destinationAddress, delay < TimeSpan.Zero ? TimeSpan.Zero : delay, message, pipe, cts);
        return Task.FromResult<ScheduledMessage<T>>(new ScheduledMessageHandle<T>(tokenId, due, destinationAddress, message));
    }

    public Task CancelScheduledSend(Guid tokenId, CancellationToken cancellationToken)
    {
        if (_timers.TryRemove(tokenId, out var cts))
        {
            cts.Cancel();
            cts.Dispose();
        }
        return Task.CompletedTask;
    }

    public Task CancelScheduledSend(Uri destinationAddress, Guid tokenId, CancellationToken cancellationToken) =>
        CancelScheduledSend(tokenId, cancellationToken);

    private async Task FireAsync<T>(Guid tokenId, Uri destination, TimeSpan delay, T message, IPipe<SendContext<T>> pipe, CancellationTokenSource cts)
        where T : class
    {
        try
        {
            await Task.Delay(delay, clock, cts.Token);
            if (!_timers.TryRemove(tokenId, out _)) return; // cancelled at the last moment
            var endpoint = await services.GetRequiredService<IBus>().GetSendEndpoint(destination);
            await endpoint.Send(message, Pipe.ExecuteAsync<SendContext<T>>(async context =>
            {
                context.ScheduledMessageId = tokenId;
                context.Headers.Set(MessageHeaders.SchedulingTokenId, tokenId.ToString("N"));
                if (pipe.IsNotEmpty()) await pipe.Send(context);
            }), _stopping.Token);
            cts.Dispose();
        }
        catch (OperationCanceledException)
        {
            // Cancelled (the step finished) or the host is stopping.
        }
        catch (Exception ex)
        {
            _timers.TryRemove(tokenId, out _);
            logger.LogError(ex, "Could not send the scheduled {MessageType} {TokenId} to {Destination}", typeof(T).Name, tokenId, destination);
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        foreach (var cts in _timers.Values) cts.Dispose();
        _timers.Clear();
        _stopping.Dispose();
    }
}

/// <summary>
/// Gives every message on the saga's endpoint a <see cref="MessageSchedulerContext"/> backed by
/// <see cref="InProcessMessageScheduler"/>, replacing any other (the test harness adds the delayed
/// scheduler on the bus; the saga must use the same scheduler in tests as in production).
/// </summary>
public sealed class InProcessSchedulerFilter(InProcessMessageScheduler scheduler) : IFilter<ConsumeContext>
{
    public Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        MessageSchedulerContext Create() => new ConsumeMessageSchedulerContext(context,
            ctx => new MessageScheduler(scheduler, ctx.GetPayload<IBusTopology>()));
        context.AddOrUpdatePayload(Create, _ => Create());
        return next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("inProcessMessageScheduler");
}
