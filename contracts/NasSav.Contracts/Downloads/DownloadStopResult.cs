namespace NasSav.Contracts.Downloads;

/// <summary>200 (cancelled, <see cref="TaskId"/> set) or 404 (no task for the AVID).</summary>
public sealed record DownloadStopResult
{
    public required Guid CorrelationId { get; init; }
    public required string Avid { get; init; }
    public required int Code { get; init; }
    public required string Message { get; init; }
    public string? TaskId { get; init; }
}
