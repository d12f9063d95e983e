using System.Collections.Concurrent;
using MassTransit;
using NasSav.Contracts.Downloads;

namespace NasSav.Gateway.WebSockets;

/// <summary>
/// What this gateway saw of each AVID's latest task: its id, the highest start epoch, whether it ended. Progress
/// (and a start) of that task with an older epoch comes from a holder whose lease was taken over, and progress
/// after the task ended is a straggler: both are dropped, so the bar never jumps back. Epochs are compared within
/// one task only (a mock runs at epoch 0 after a real download of the same AVID).
/// </summary>
public sealed class TaskEpochs
{
    private sealed record Seen(string TaskId, long Epoch, bool Ended);

    private readonly ConcurrentDictionary<string, Seen> _tasks = new(StringComparer.Ordinal);

    /// <summary>Records a start; false when it is older than a start already seen for the same task.</summary>
    public bool TryStart(string avid, string taskId, long epoch)
    {
        while (true)
        {
            if (!_tasks.TryGetValue(avid, out var seen))
            {
                if (_tasks.TryAdd(avid, new Seen(taskId, epoch, false))) return true;
                continue;
            }
            if (seen.TaskId == taskId && epoch < seen.Epoch) return false;
            var next = seen.TaskId == taskId ? seen with { Epoch = epoch } : new Seen(taskId, epoch, false);
            if (_tasks.TryUpdate(avid, next, seen)) return true;
        }
    }

    public bool IsStaleProgress(string avid, string taskId, long epoch) =>
        _tasks.TryGetValue(avid, out var seen) && seen.TaskId == taskId && (seen.Ended || epoch < seen.Epoch);

    public void Ended(string avid, string taskId) =>
        _tasks.AddOrUpdate(avid, new Seen(taskId, 0, true), (_, seen) => seen.TaskId == taskId ? seen with { Ended = true } : new Seen(taskId, 0, true));
}

// These run on the gateway instance's temporary feed queue with QueueStatusChangedConsumer (FeedRegistration),
// one message at a time, so frames go out in the order the events arrived. The queue_status after each comes
// from catalog's QueueStatusChanged, published once its saga has committed the change.

public sealed class DownloadStartedConsumer(FeedHub hub, TaskEpochs epochs) : IConsumer<DownloadStarted>
{
    public Task Consume(ConsumeContext<DownloadStarted> context)
    {
        var m = context.Message;
        if (!epochs.TryStart(m.Avid, m.TaskId, m.Epoch)) return Task.CompletedTask; // a start older than one already seen
        hub.Broadcast(new OutgoingFrame(FrameKind.Event, TaskFrames.Started(m)));
        return Task.CompletedTask;
    }
}

public sealed class DownloadProgressedConsumer(FeedHub hub, TaskEpochs epochs) : IConsumer<DownloadProgressed>
{
    public Task Consume(ConsumeContext<DownloadProgressed> context)
    {
        var m = context.Message;
        if (!epochs.IsStaleProgress(m.Avid, m.TaskId, m.Epoch)) hub.Broadcast(new OutgoingFrame(FrameKind.Progress, TaskFrames.Progress(m)));
        return Task.CompletedTask;
    }
}

public sealed class DownloadTaskEndedConsumer(FeedHub hub, TaskEpochs epochs) : IConsumer<DownloadTaskEnded>
{
    public Task Consume(ConsumeContext<DownloadTaskEnded> context)
    {
        epochs.Ended(context.Message.Avid, context.Message.TaskId);
        hub.Broadcast(new OutgoingFrame(FrameKind.Event, TaskFrames.Ended(context.Message)));
        return Task.CompletedTask;
    }
}
