namespace NasSav.Contracts.Downloads;

/// <summary>
/// Published by catalog after its database records the outcome (so a client refetching on task_completed sees
/// "downloaded"); gateways turn it into task_completed / task_failed frames.
/// </summary>
public sealed record DownloadTaskEnded
{
    public required string Avid { get; init; }
    public required string TaskId { get; init; }
    public required bool Succeeded { get; init; }
    public bool Mock { get; init; }
    public bool Cancelled { get; init; }
    /// <summary>The frame's message, e.g. "下载完成" or "下载失败: ...".</summary>
    public required string Message { get; init; }
    public string? Error { get; init; }
}
