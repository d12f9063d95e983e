namespace NasSav.DemoSite.Catalog;

/// <summary>How the stream of an AVID is served.</summary>
public enum StreamKind
{
    /// <summary>A media playlist with plain segments.</summary>
    Plain,
    /// <summary>A media playlist with AES-128 segments (key served by the site).</summary>
    Aes,
    /// <summary>A master playlist with three variants (highest bandwidth not first, not last).</summary>
    Master,
}

/// <summary>What a source page answers instead of the normal page.</summary>
public enum Failure { None, Forbidden, NotFound, ServerError, Slow, Junk }

/// <summary>What the metadata (JavBus-style) page answers.</summary>
public enum MetadataKind
{
    Normal,
    /// <summary>404.</summary>
    Missing,
    /// <summary>The page of another AVID ({Prefix}-001): must be treated as "not found".</summary>
    OtherAvid,
}

public sealed record DemoActor(string Id, string Name, bool Placeholder)
{
    /// <summary>Site-relative avatar URL as the metadata page shows it.</summary>
    public string AvatarPath => Placeholder ? PlaceholderAvatarPath : $"/pics/actress/{Id}_a.jpg";

    /// <summary>The path of JavBus's "now printing" placeholder (https://pics.dmm.co.jp/mono/actjpgs/nowprinting.gif), served locally.</summary>
    public const string PlaceholderAvatarPath = "/mono/actjpgs/nowprinting.gif";
}

/// <summary>Everything the site knows about one AVID. All values derive from the AVID alone.</summary>
public sealed record DemoTitle
{
    public required string Avid { get; init; }
    public string AvidLower => Avid.ToLowerInvariant();
    /// <summary>The number of a numbered AVID ({Prefix}-007 → 7); null for the switch AVIDs.</summary>
    public int? Number { get; init; }
    public required string TitleJa { get; init; }
    public required string TitleZh { get; init; }
    public required DateOnly ReleaseDate { get; init; }
    public required int DurationMinutes { get; init; }
    public required string Studio { get; init; }
    public required string Label { get; init; }
    public string? Series { get; init; }
    public string? Director { get; init; }
    public required IReadOnlyList<DemoActor> Actors { get; init; }
    /// <summary>In page order, technical genres (to be dropped by the scraper) included.</summary>
    public required IReadOnlyList<string> Genres { get; init; }
    public required StreamKind Stream { get; init; }
    /// <summary>What the first source (Jable-like, /v/…) answers.</summary>
    public Failure PrimaryFailure { get; init; }
    /// <summary>What the second source (MissAV-like, /cn/…) answers.</summary>
    public Failure SecondaryFailure { get; init; }
    public MetadataKind Metadata { get; init; }
    /// <summary>The MissAV-like source also has /cn/{avid}-chinese-subtitle (even numbers).</summary>
    public bool HasSubtitlePage { get; init; }
    /// <summary>The MissAV-like stream id (surrit-style uuid), lower-case hex.</summary>
    public required string Uuid { get; init; }
    /// <summary>Hue of the generated covers, 0-359.</summary>
    public required int Hue { get; init; }
}
