namespace NasSav.Contracts.Scraping;

/// <summary>No metadata site had the AVID (or none answered). The source cover may still have been stored.</summary>
public sealed record MetadataNotFound
{
    public required Guid CorrelationId { get; init; }
    public required string Avid { get; init; }
    public required string Reason { get; init; }
    public bool CoverSaved { get; init; }
    public IReadOnlyList<SourceAttempt> Attempts { get; init; } = [];
}
