namespace NasSav.Contracts.Scraping;

public sealed record SourceResolved
{
    public required Guid CorrelationId { get; init; }
    public required string Avid { get; init; }
    /// <summary>Display name of the source that answered ("MissAV", "Jable", "Demo"...).</summary>
    public required string Source { get; init; }
    /// <summary>The source's title, not yet prefixed with the AVID.</summary>
    public string? SourceTitle { get; init; }
    /// <summary>Media playlist URL (a master playlist is already resolved to its best variant).</summary>
    public required string M3u8 { get; init; }
    public string? CoverUrl { get; init; }
    /// <summary>The page the data came from, used as referer for the cover and the stream.</summary>
    public string? PageUrl { get; init; }
    public IReadOnlyList<SourceAttempt> Attempts { get; init; } = [];
}
