namespace NasSav.Contracts.Scraping;

public sealed record SourceNotResolved
{
    public required Guid CorrelationId { get; init; }
    public required string Avid { get; init; }
    /// <summary>403 if any source refused, 404 if all said not found (or nothing parsed), else 502.</summary>
    public required int Code { get; init; }
    /// <summary>The reference's message, e.g. "获取ABC-123失败。MissAV:404, Jable:timeout".</summary>
    public required string Message { get; init; }
    public IReadOnlyList<SourceAttempt> Attempts { get; init; } = [];
}
