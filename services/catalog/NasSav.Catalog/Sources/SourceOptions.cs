namespace NasSav.Catalog.Sources;

/// <summary>One download source site. The scraper work will add URL templates, selectors and headers here.</summary>
public sealed record SourceOptions
{
    /// <summary>Display name, as stored in resources.source and shown by the UI ("MissAV").</summary>
    public required string Name { get; init; }
    public string Domain { get; init; } = "";
    /// <summary>Priority for source "any" (highest first); 0 switches the source off.</summary>
    public int Weight { get; init; }

    /// <summary>Cookie rows and lookups use this key, so "MissAV" and "missav" are one source.</summary>
    public string Key => Name.ToLowerInvariant();
}

/// <summary>
/// The configured sources. Two configuration forms are read (see <see cref="SourcesOptionsSetup"/>):
/// <c>Sources: [{Name, Domain, Weight}]</c>, or NASSAV's YAML map <c>Source: {missav: {domain, weight}}</c>.
/// </summary>
public sealed class SourcesOptions
{
    public const string Section = "Sources";
    /// <summary>NASSAV's config.yaml key.</summary>
    public const string NassavSection = "Source";

    public List<SourceOptions> Items { get; set; } = [];

    /// <summary>The peer's template defaults, used when nothing is configured.</summary>
    public static IReadOnlyList<SourceOptions> Defaults { get; } =
    [
        new() { Name = "MissAV", Domain = "missav.ai", Weight = 1000 },
        new() { Name = "Jable", Domain = "jable.tv", Weight = 800 },
        new() { Name = "Memo", Domain = "memojav.com", Weight = 600 },
    ];
}
