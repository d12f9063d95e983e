using NasSav.Scraper.Extraction;

namespace NasSav.Scraper.Sources;

/// <summary>One source as configured (<c>Sources:N</c> or the NASSAV map <c>Source:name</c>), before checks.</summary>
public sealed class SourceDefinition
{
    public string? Name { get; set; }
    public int Weight { get; set; }
    public string? Domain { get; set; }
    public string? Scheme { get; set; }
    public List<string>? PageUrls { get; set; }
    public string? Referer { get; set; }
    public Dictionary<string, string>? Headers { get; set; }
    public ExtractionRule? M3u8 { get; set; }
    public ExtractionRule? Title { get; set; }
    public ExtractionRule? Cover { get; set; }
    /// <summary>The AVID the page is about; a different one means "wrong page".</summary>
    public ExtractionRule? PageAvid { get; set; }
    /// <summary>The m3u8 must answer with a playlist, else the source did not resolve.</summary>
    public bool? VerifyM3u8 { get; set; }
}

/// <summary>A checked, compiled source.</summary>
public sealed record ScraperSource
{
    public required string Name { get; init; }
    public required int Weight { get; init; }
    public required string Domain { get; init; }
    public required string Scheme { get; init; }
    public required IReadOnlyList<string> PageUrls { get; init; }
    public string? Referer { get; init; }
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
    public required CompiledRule M3u8 { get; init; }
    public CompiledRule? Title { get; init; }
    public CompiledRule? Cover { get; init; }
    public CompiledRule? PageAvid { get; init; }
    public bool VerifyM3u8 { get; init; }
    /// <summary>Position in configuration, the tie-breaker between equal weights.</summary>
    public int Order { get; init; }

    public string Key => Name.ToLowerInvariant();

    public Func<string, string?> Variables(string avid) => Templates.Site(Scheme, Domain, avid);

    /// <summary>The source's own host (and its subdomains) is the only one its cookie is sent to.</summary>
    public bool OwnsHost(Uri uri)
    {
        var host = Domain.Split(':')[0];
        if (host.StartsWith("www.", StringComparison.OrdinalIgnoreCase)) host = host[4..];
        return uri.Host.Equals(host, StringComparison.OrdinalIgnoreCase) ||
               uri.Host.EndsWith("." + host, StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>The configured sources, checked at start (errors name the key).</summary>
public sealed class ScraperSourcesOptions
{
    public List<ScraperSource> Items { get; set; } = [];
    public List<string> Errors { get; set; } = [];

    /// <summary>Registered sources (weight &gt; 0), highest weight first, configuration order between equals.</summary>
    public IReadOnlyList<ScraperSource> ByWeight =>
        Items.Where(s => s.Weight > 0).OrderByDescending(s => s.Weight).ThenBy(s => s.Order).ToList();

    public ScraperSource? Find(string? name) =>
        string.IsNullOrWhiteSpace(name) ? null
            : Items.FirstOrDefault(s => s.Weight > 0 && s.Key == name.Trim().ToLowerInvariant());
}
