using NasSav.Scraper.Extraction;

namespace NasSav.Scraper.MetadataSites;

/// <summary>Per-field rules of a metadata site; each overrides the profile's rule of the same name.</summary>
public sealed class MetadataRules
{
    public ExtractionRule? Title { get; set; }
    public ExtractionRule? ReleaseDate { get; set; }
    public ExtractionRule? Duration { get; set; }
    public ExtractionRule? Studio { get; set; }
    public ExtractionRule? Label { get; set; }
    public ExtractionRule? Series { get; set; }
    public ExtractionRule? Director { get; set; }
    public ExtractionRule? Genres { get; set; }
    public ExtractionRule? ActorNames { get; set; }
    public ExtractionRule? ActorAvatars { get; set; }
    public ExtractionRule? Cover { get; set; }
    public ExtractionRule? PageAvid { get; set; }
}

/// <summary>One metadata site as configured (<c>MetadataSites:N</c>, or NASSAV's <c>Scraper:javbus:domain</c>).</summary>
public sealed class MetadataSiteDefinition
{
    public string? Name { get; set; }
    public string? Domain { get; set; }
    public string? Scheme { get; set; }
    public string? PageUrl { get; set; }
    /// <summary>javbus (default) or none (every rule from <see cref="Rules"/>).</summary>
    public string? Profile { get; set; }
    public string? Referer { get; set; }
    public Dictionary<string, string>? Headers { get; set; }
    public MetadataRules? Rules { get; set; }
    /// <summary>false switches the site off without removing it.</summary>
    public bool Enabled { get; set; } = true;
}

public sealed record MetadataRuleSet
{
    public required CompiledRule Title { get; init; }
    public required CompiledRule PageAvid { get; init; }
    public CompiledRule? ReleaseDate { get; init; }
    public CompiledRule? Duration { get; init; }
    public CompiledRule? Studio { get; init; }
    public CompiledRule? Label { get; init; }
    public CompiledRule? Series { get; init; }
    public CompiledRule? Director { get; init; }
    public CompiledRule? Genres { get; init; }
    public CompiledRule? ActorNames { get; init; }
    public CompiledRule? ActorAvatars { get; init; }
    public CompiledRule? Cover { get; init; }
}

public sealed record MetadataSite
{
    public required string Name { get; init; }
    public required string Domain { get; init; }
    public required string Scheme { get; init; }
    public required string PageUrl { get; init; }
    public string? Referer { get; init; }
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
    public required MetadataRuleSet Rules { get; init; }

    public Func<string, string?> Variables(string avid) => Templates.Site(Scheme, Domain, avid);

    /// <summary>The referer its images are fetched with: {scheme}://{domain}/.</summary>
    public string ImageReferer => $"{Scheme}://{Domain}/";
}

public sealed class MetadataSitesOptions
{
    public List<MetadataSite> Items { get; set; } = [];
    public List<string> Errors { get; set; } = [];
}
