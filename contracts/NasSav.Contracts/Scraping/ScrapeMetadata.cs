namespace NasSav.Contracts.Scraping;

/// <summary>
/// Command to the scraper: scrape the metadata sites for the AVID and store the cover (metadata-site
/// cover first, with its referer; else <see cref="SourceCoverUrl"/>) and the actors' avatars.
/// </summary>
public sealed record ScrapeMetadata
{
    public required Guid CorrelationId { get; init; }
    public required string Avid { get; init; }
    public bool DownloadCover { get; init; } = true;
    public string? SourceCoverUrl { get; init; }
    public string? SourceName { get; init; }
    public string? SourcePageUrl { get; init; }
    public string? SourceCookie { get; init; }
}
