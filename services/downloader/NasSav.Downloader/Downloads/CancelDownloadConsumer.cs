using MassTransit;
using Microsoft.Extensions.Logging;
using NasSav.Contracts.Downloads;

namespace NasSav.Downloader.Downloads;

/// <summary>
/// Every instance receives every CancelDownload (a temporary queue per instance): the one running the task stops it
/// within a second (its consumer answers DownloadFailed); all of them remember the id so a copy still queued is
/// skipped when it arrives. Reason "lock-timeout" comes from the lock monitor and fails the task as timed out.
/// </summary>
public sealed class CancelDownloadConsumer(RunningDownloads running, TaskMarks marks, ILogger<CancelDownloadConsumer> log) : IConsumer<CancelDownload>
{
    public const string TimeoutReason = "lock-timeout";

    public async Task Consume(ConsumeContext<CancelDownload> context)
    {
        var cancel = context.Message;
        var reason = cancel.Reason == TimeoutReason ? StopReason.TimedOut : StopReason.Cancelled;
        var here = running.Stop(cancel.TaskId, reason);
        log.LogInformation("Cancel of task {TaskId} of {Avid} ({Reason}): {Where}", cancel.TaskId, cancel.Avid, cancel.Reason,
            here ? "running here, stopping" : "not running here");
        await marks.MarkCancelledAsync(cancel.TaskId, cancel.Reason, context.CancellationToken);
    }
}
