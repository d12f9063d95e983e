namespace NasSav.Contracts.Downloads;

/// <summary>
/// The saga's answer to <see cref="SubmitDownload"/>, with the HTTP code the endpoint answers: 202 queued,
/// 404 no row, 409 already downloaded (<see cref="FileSize"/> set) or already queued/running, 422 no m3u8,
/// 409 while an add or refresh of the AVID runs.
/// </summary>
public sealed record DownloadSubmitResult
{
    public required Guid CorrelationId { get; init; }
    public required string Avid { get; init; }
    public required int Code { get; init; }
    public required string Message { get; init; }
    /// <summary>The new task (202) or the task already queued or running (409 duplicate).</summary>
    public string? TaskId { get; init; }
    /// <summary>409 "视频已下载": the stored file's size.</summary>
    public long? FileSize { get; init; }
    public bool AlreadyDownloaded { get; init; }
}
