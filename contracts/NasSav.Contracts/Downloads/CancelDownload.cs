namespace NasSav.Contracts.Downloads;

/// <summary>
/// Published (every downloader instance sees it on its own temporary queue): the instance running
/// <see cref="TaskId"/> stops within a second and answers with <see cref="DownloadFailed"/> (Cancelled).
/// </summary>
public sealed record CancelDownload
{
    public required Guid CorrelationId { get; init; }
    public required string Avid { get; init; }
    public required string TaskId { get; init; }
    public string Reason { get; init; } = "cancelled";
}
