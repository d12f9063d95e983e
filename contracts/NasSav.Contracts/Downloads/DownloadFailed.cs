namespace NasSav.Contracts.Downloads;

public sealed record DownloadFailed
{
    public required Guid CorrelationId { get; init; }
    public required string Avid { get; init; }
    public required string TaskId { get; init; }
    public required long Epoch { get; init; }
    /// <summary>What a user reads, e.g. "下载失败: segment 12 ...".</summary>
    public required string Message { get; init; }
    /// <summary>The technical cause (exception type and text).</summary>
    public string? Error { get; init; }
    public bool Cancelled { get; init; }
    public bool Mock { get; init; }
}
