using NasSav.Contracts.Downloads;

namespace NasSav.Downloader.Downloads;

/// <summary>The events a download answers with, built in one place so every path says the same.</summary>
internal static class DownloadMessages
{
    public const string CancelledMessage = "下载已取消";

    public static DownloadFailed Failed(DownloadVideo task, long epoch, string message, string? error, bool cancelled = false) => new()
    {
        CorrelationId = task.CorrelationId,
        Avid = task.Avid,
        TaskId = task.TaskId,
        Epoch = epoch,
        Message = message,
        Error = error,
        Cancelled = cancelled,
        Mock = task.Mock,
    };

    /// <summary>"下载失败: {reason}" as the user reads it; the technical cause goes to Error.</summary>
    public static DownloadFailed EngineFailed(DownloadVideo task, long epoch, Exception e) =>
        Failed(task, epoch, $"下载失败: {e.Message}", Describe(e));

    public static DownloadFailed Stopped(DownloadVideo task, long epoch, StopReason reason, double cancelAfterMinutes) => reason switch
    {
        StopReason.TimedOut => Failed(task, epoch,
            $"下载超时: 下载锁已持有超过 {cancelAfterMinutes:0.#} 分钟", $"timed out after {cancelAfterMinutes:0.#} minutes (Downloader:Monitoring:CancelAfterMinutes)"),
        _ => Failed(task, epoch, CancelledMessage, "cancelled", cancelled: true),
    };

    public static DownloadStarted Started(DownloadVideo task, long epoch, string instance, DateTimeOffset at) => new()
    {
        CorrelationId = task.CorrelationId,
        Avid = task.Avid,
        TaskId = task.TaskId,
        Epoch = epoch,
        Instance = instance,
        Mock = task.Mock,
        StartedAt = at,
    };

    public static string Describe(Exception e) =>
        e.InnerException is null ? $"{e.GetType().Name}: {e.Message}" : $"{e.GetType().Name}: {e.Message} ({e.InnerException.GetType().Name}: {e.InnerException.Message})";
}
