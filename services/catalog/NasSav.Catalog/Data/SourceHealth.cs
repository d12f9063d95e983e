namespace NasSav.Catalog.Data;

/// <summary>
/// Per-source (and per metadata site) health, aggregated from the <c>SourceAttempt</c> lists the scraper
/// attaches to its results. <see cref="Source"/> is the name the scraper reported ("MissAV", "JavBus").
/// </summary>
public sealed class SourceHealth
{
    public required string Source { get; set; }
    public DateTime? LastSuccessAt { get; set; }
    public DateTime? LastErrorAt { get; set; }
    /// <summary>Outcome and detail of the last failed attempt, e.g. "forbidden (403)".</summary>
    public string? LastError { get; set; }
    public long SuccessCount { get; set; }
    public long FailureCount { get; set; }
}
