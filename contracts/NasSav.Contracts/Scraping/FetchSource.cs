namespace NasSav.Contracts.Scraping;

/// <summary>Command to the scraper: find the AVID on the configured sources (weight order, or only <see cref="Source"/>).</summary>
public sealed record FetchSource
{
    public required Guid CorrelationId { get; init; }
    public required string Avid { get; init; }
    /// <summary>"any" or a source name (case-insensitive).</summary>
    public string Source { get; init; } = "any";
    /// <summary>Cookies from catalog's store, keyed by lower-cased source name.</summary>
    public IReadOnlyDictionary<string, string> Cookies { get; init; } = new Dictionary<string, string>();
}
