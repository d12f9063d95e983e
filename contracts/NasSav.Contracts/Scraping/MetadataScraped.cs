namespace NasSav.Contracts.Scraping;

public sealed record MetadataScraped
{
    public required Guid CorrelationId { get; init; }
    public required string Avid { get; init; }
    /// <summary>Name of the metadata site that answered.</summary>
    public required string Site { get; init; }
    public required string Title { get; init; }
    /// <summary>YYYY-MM-DD or "".</summary>
    public string ReleaseDate { get; init; } = "";
    /// <summary>Minutes as the site states them, null when absent.</summary>
    public int? DurationMinutes { get; init; }
    public string? Studio { get; init; }
    public string? Label { get; init; }
    public string? Series { get; init; }
    public string? Director { get; init; }
    public IReadOnlyList<string> Genres { get; init; } = [];
    public IReadOnlyList<ScrapedActor> Actors { get; init; } = [];
    public string? CoverUrl { get; init; }
    /// <summary>True when cover/{AVID}.jpg was written for this scrape.</summary>
    public bool CoverSaved { get; init; }
    public IReadOnlyList<SourceAttempt> Attempts { get; init; } = [];
}
