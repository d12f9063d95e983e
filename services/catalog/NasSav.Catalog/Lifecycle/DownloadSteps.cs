using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NasSav.Catalog.Data;
using NasSav.Catalog.Downloads;
using NasSav.Catalog.Queue;
using NasSav.Catalog.Resources;
using NasSav.Contracts.Downloads;
using NasSav.Contracts.Lifecycle;
using NasSav.Media.Avids;
using NasSav.Media.Storage;

namespace NasSav.Catalog.Lifecycle;

/// <summary>
/// The download part of the lifecycle's activities, one job each (the transitions are the chart's,
/// <see cref="ResourceLifecycleStateMachine"/>). The saga is the only sender of DownloadVideo, so "already queued or
/// running" is its state, decided under the instance's row lock. Rows are written in the saga's transaction;
/// answers, DownloadVideo, DownloadTaskEnded and queue changes leave through the outbox after the commit, so a
/// client refetching on task_completed already reads "downloaded".
/// </summary>
public sealed class DownloadSteps(
    LibraryWriter library,
    CatalogDbContext db,
    IMediaStore media,
    IOptions<DownloadOptions> options,
    TimeProvider clock,
    ILogger<DownloadSteps> logger)
{
    public const string CompletedMessage = "下载完成";
    public const string MockCompletedMessage = "模拟下载完成";
    public const string CancelledMessage = "下载已取消";

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    // ---------------------------------------------------------------- submit

    /// <summary>
    /// The checks (AVID, row, video, m3u8) and, when they pass, DownloadVideo and the 202: <see cref="NextStep.Download"/>.
    /// A new instance (a row from before the lifecycle, or imported) gets the AVID first.
    /// </summary>
    public async Task SubmitAsync(BehaviorContext<ResourceLifecycle, SubmitDownload> c)
    {
        var s = c.Saga;
        var m = c.Message;
        if (s.RequestedAt == default)
        {
            if (!Avid.TryParse(m.Avid, out var parsed, out _) || parsed.CorrelationId != m.CorrelationId)
            {
                await c.RespondAsync(Result(m.CorrelationId, m.Avid, 400, $"avid {m.Avid} 无效"));
                return;
            }
            s.Avid = parsed.Value;
            s.RequestedAt = Now;
        }
        var avid = Avid.Parse(s.Avid);
        var row = await db.FindAsync(avid, c.CancellationToken);
        if (row is null)
        {
            await c.RespondAsync(Result(s, 404, m.Mock ? $"{avid} 的元数据不存在" : $"{avid} 的元数据不存在，请先调用 /api/resource/new 添加资源"));
            return;
        }
        if (!m.Mock)
        {
            if (row.FileExists)
            {
                var info = await media.GetInfoAsync(MediaKey.Video(avid), c.CancellationToken);
                if (info is not null)
                {
                    await c.RespondAsync(Result(s, 409, "视频已下载") with { AlreadyDownloaded = true, FileSize = row.FileSize ?? info.Size });
                    return;
                }
                // The row says downloaded but the file is gone: reconcile it and download again.
                logger.LogWarning("{Avid} was marked downloaded but its video is missing; downloading it again", avid);
                row.ClearVideo();
            }
            if (string.IsNullOrWhiteSpace(row.M3u8))
            {
                await c.RespondAsync(Result(s, 422, $"{avid} 没有 m3u8 地址，请先刷新资源 (POST /resource/refresh/{avid})"));
                return;
            }
        }

        var taskId = NewId.NextGuid().ToString("D");
        s.DownloadTaskId = taskId;
        s.DownloadEpoch = 0;
        s.DownloadMock = m.Mock;
        s.DownloadQueuedAt = Now;
        s.DownloadStartedAt = s.DownloadEndedAt = null;
        s.DownloadInstance = null;
        s.DownloadError = null;
        await c.Publish(new DownloadVideo
        {
            CorrelationId = s.CorrelationId,
            Avid = s.Avid,
            TaskId = taskId,
            M3u8Url = m.Mock ? row.M3u8 ?? "" : row.M3u8!,
            Headers = m.Mock ? new Dictionary<string, string>() : await HeadersAsync(row, c.CancellationToken),
            Mock = m.Mock,
            MockDurationSeconds = m.MockDurationSeconds,
            RequestedAt = clock.GetUtcNow(),
        });
        await c.RespondAsync(Result(s, 202, m.Mock ? "模拟下载任务已提交" : "下载任务已提交") with { TaskId = taskId });
        c.SetNext(NextStep.Download);
    }

    /// <summary>A second submit while queued or running: nothing is enqueued.</summary>
    public Task AnswerDuplicateAsync(BehaviorContext<ResourceLifecycle, SubmitDownload> c) =>
        c.RespondAsync(Result(c.Saga, 409, "下载任务已存在") with { TaskId = c.Saga.DownloadTaskId });

    /// <summary>A submit while an add or refresh step runs (the m3u8 may be about to change).</summary>
    public Task AnswerBusyAsync(BehaviorContext<ResourceLifecycle, SubmitDownload> c) =>
        c.RespondAsync(Result(c.Saga, 409, $"资源 {c.Saga.Avid} 正在处理中，请稍后再下载"));

    private async Task<Dictionary<string, string>> HeadersAsync(Resource row, CancellationToken ct)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!string.IsNullOrWhiteSpace(row.SourcePageUrl)) headers["Referer"] = row.SourcePageUrl;
        if (!string.IsNullOrEmpty(row.Source)
            && (await library.CookiesAsync(ct)).TryGetValue(row.Source.ToLowerInvariant(), out var cookie))
            headers["Cookie"] = cookie;
        if (!string.IsNullOrWhiteSpace(options.Value.UserAgent)) headers["User-Agent"] = options.Value.UserAgent;
        return headers;
    }

    // ---------------------------------------------------------------- downloader events

    /// <summary>The current task started (a higher epoch while downloading is a takeover after a crash).</summary>
    public void RecordStart(BehaviorContext<ResourceLifecycle, DownloadStarted> c)
    {
        var s = c.Saga;
        var m = c.Message;
        if (s.CurrentState == nameof(ResourceLifecycleStateMachine.Downloading) && m.Epoch > s.DownloadEpoch)
            logger.LogWarning("Download of {Avid} taken over by {Instance} (epoch {Old} → {New})", s.Avid, m.Instance, s.DownloadEpoch, m.Epoch);
        s.DownloadEpoch = m.Epoch;
        s.DownloadInstance = m.Instance;
        s.DownloadStartedAt ??= m.StartedAt.UtcDateTime;
    }

    /// <summary>
    /// A task this saga no longer wants started anyway (cancelled while it waited in the queue, or from before
    /// a resubmit): stop it.
    /// </summary>
    public async Task CancelStrayTaskAsync(BehaviorContext<ResourceLifecycle, DownloadStarted> c)
    {
        logger.LogInformation("{Avid} task {TaskId} started but is not wanted (current task {Current}); cancelling it",
            c.Saga.Avid, c.Message.TaskId, c.Saga.DownloadTaskId);
        await c.Publish(new CancelDownload { CorrelationId = c.Saga.CorrelationId, Avid = c.Saga.Avid, TaskId = c.Message.TaskId, Reason = "stale task" });
    }

    /// <summary>The row gets the video (a mock touches no video column), then DownloadTaskEnded.</summary>
    public async Task RecordCompletionAsync(BehaviorContext<ResourceLifecycle, DownloadCompleted> c)
    {
        var s = c.Saga;
        var m = c.Message;
        s.DownloadEpoch = m.Epoch;
        s.DownloadEndedAt = Now;
        s.DownloadError = null;
        if (!s.DownloadMock)
            (await db.FindAsync(Avid.Parse(s.Avid), c.CancellationToken))?.MarkDownloaded(m.FileSize, m.CompletedAt.UtcDateTime, (int)Math.Round(m.DurationSeconds));
        await EndAsync(c, succeeded: true, s.DownloadMock ? MockCompletedMessage : CompletedMessage, error: null, cancelled: false);
    }

    public Task RecordFailureAsync(BehaviorContext<ResourceLifecycle, DownloadFailed> c)
    {
        c.Saga.DownloadEpoch = c.Message.Epoch;
        return EndWithoutFileAsync(c, c.Message.Message, c.Message.Error, c.Message.Cancelled);
    }

    public Task RecordFaultAsync(BehaviorContext<ResourceLifecycle, Fault<DownloadVideo>> c)
    {
        var error = ResourceLifecycleStateMachine.FaultText(c.Message);
        return EndWithoutFileAsync(c, (c.Saga.DownloadMock ? "模拟下载失败: " : "下载异常: ") + error, error, cancelled: false);
    }

    // ---------------------------------------------------------------- cancel, delete

    public async Task StopAsync(BehaviorContext<ResourceLifecycle, StopDownload> c)
    {
        var s = c.Saga;
        var taskId = s.DownloadTaskId!;
        await c.Publish(new CancelDownload { CorrelationId = s.CorrelationId, Avid = s.Avid, TaskId = taskId, Reason = c.Message.Reason });
        await c.RespondAsync(new DownloadStopResult { CorrelationId = s.CorrelationId, Avid = s.Avid, Code = 200, Message = CancelledMessage, TaskId = taskId });
        await EndWithoutFileAsync(c, CancelledMessage, c.Message.Reason, cancelled: true);
    }

    public Task AnswerNothingToStopAsync(BehaviorContext<ResourceLifecycle, StopDownload> c) =>
        c.RespondAsync(NoTask(c.Saga.CorrelationId, c.Saga.Avid));

    public static DownloadStopResult NoTask(Guid id, string avid) =>
        new() { CorrelationId = id, Avid = avid, Code = 404, Message = $"{avid} 没有正在进行的下载任务" };

    /// <summary>The resource is deleted while its download is queued or running: stop it (the saga then finalizes).</summary>
    public async Task CancelForDeletionAsync(BehaviorContext<ResourceLifecycle, ResourceDeleted> c)
    {
        var s = c.Saga;
        if (s.DownloadTaskId is null) return;
        await c.Publish(new CancelDownload { CorrelationId = s.CorrelationId, Avid = s.Avid, TaskId = s.DownloadTaskId, Reason = "resource deleted" });
        s.DownloadEndedAt = Now;
        await EndAsync(c, succeeded: false, CancelledMessage, "resource deleted", cancelled: true);
    }

    // ---------------------------------------------------------------- shared

    private async Task EndWithoutFileAsync(BehaviorContext<ResourceLifecycle> c, string message, string? error, bool cancelled)
    {
        var s = c.Saga;
        s.DownloadEndedAt = Now;
        s.DownloadError = string.IsNullOrEmpty(error) ? message : $"{message} ({error})";
        logger.LogWarning("Download of {Avid} task {TaskId} ended without a file: {Message} {Error}", s.Avid, s.DownloadTaskId, message, error);
        await EndAsync(c, succeeded: false, message, error, cancelled);
    }

    private static Task EndAsync(BehaviorContext<ResourceLifecycle> c, bool succeeded, string message, string? error, bool cancelled) =>
        c.Publish(new DownloadTaskEnded
        {
            Avid = c.Saga.Avid,
            TaskId = c.Saga.DownloadTaskId!,
            Succeeded = succeeded,
            Mock = c.Saga.DownloadMock,
            Cancelled = cancelled,
            Message = message,
            Error = error,
        });

    private static DownloadSubmitResult Result(ResourceLifecycle s, int code, string message) => Result(s.CorrelationId, s.Avid, code, message);

    private static DownloadSubmitResult Result(Guid id, string avid, int code, string message) =>
        new() { CorrelationId = id, Avid = avid, Code = code, Message = message };
}
