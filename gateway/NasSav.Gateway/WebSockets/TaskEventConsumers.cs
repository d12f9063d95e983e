using System.Collections.Concurrent;
using MassTransit;
using NasSav.Contracts.Downloads;

namespace NasSav.Gateway.WebSockets;

/// <summary>
/// The latest start epoch this gateway saw per AVID: progress from an older epoch comes from a holder that
/// lost its lease (a takeover happened) and is dropped, so the bar never jumps back and forth.
/// </summary>
public sealed class TaskEpochs
{
    private readonly ConcurrentDictionary<string, long> _started = new(StringComparer.Ordinal);

    public void Started(string avid, long epoch) => _started.AddOrUpdate(avid, epoch, (_, seen) => Math.Max(seen, epoch));

    public bool IsStale(string avid, long epoch) => _started.TryGetValue(avid, out var seen) && epoch < seen;

    public void Ended(string avid) => _started.TryRemove(avid, out _);
}

// These run on the gateway instance's temporary feed queue with QueueStatusChangedConsumer (FeedRegistration),
// one message at a time, so frames go out in the order the events arrived. The queue_status after each comes
// from catalog's QueueStatusChanged, published once its saga has committed the change.

public sealed class DownloadStartedConsumer(FeedHub hub, TaskEpochs epochs) : IConsumer<DownloadStarted>
{
    public Task Consume(ConsumeContext<DownloadStarted> context)
    {
        var m = context.Message;
        if (epochs.IsStale(m.Avid, m.Epoch)) return Task.CompletedTask; // a start older than one already seen
        epochs.Started(m.Avid, m.Epoch);
        hub.Broadcast(new OutgoingFrame(FrameKind.Event, TaskFrames.Started(m)));
        return Task.CompletedTask;
    }
}

public sealed class DownloadProgressedConsumer(FeedHub hub, TaskEpochs epochs) : IConsumer<DownloadProgressed>
{
    public Task Consume(ConsumeContext<DownloadProgressed> context)
    {
        var m = context.Message;
        if (!epochs.IsStale(m.Avid, m.Epoch)) hub.Broadcast(new OutgoingFrame(FrameKind.Progress, TaskFrames.Progress(m)));
        return Task.CompletedTask;
    }
}

public sealed class DownloadTaskEndedConsumer(FeedHub hub, TaskEpochs epochs) : IConsumer<DownloadTaskEnded>
{
    public Task Consume(ConsumeContext<DownloadTaskEnded> context)
    {
        epochs.Ended(context.Message.Avid);
        hub.Broadcast(new OutgoingFrame(FrameKind.Event, TaskFrames.Ended(context.Message)));
        return Task.CompletedTask;
    }
}
