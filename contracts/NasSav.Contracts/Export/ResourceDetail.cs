namespace NasSav.Contracts.Export;

/// <summary>One title as a media server shows it: titles, dates, credits, genres, actors, and where its files are.</summary>
public sealed record ResourceDetail
{
    public required string Avid { get; init; }
    public string OriginalTitle { get; init; } = "";
    public string? SourceTitle { get; init; }
    public string? TranslatedTitle { get; init; }
    /// <summary>A synopsis when a metadata site gave one (the metadata JSON's plot/description); null otherwise.</summary>
    public string? Plot { get; init; }
    /// <summary>YYYY-MM-DD or "".</summary>
    public string ReleaseDate { get; init; } = "";
    public int? DurationSeconds { get; init; }
    public string? Studio { get; init; }
    public string? Label { get; init; }
    public string? Series { get; init; }
    public string? Director { get; init; }
    public IReadOnlyList<string> Genres { get; init; } = [];
    public IReadOnlyList<ResourceDetailActor> Actors { get; init; } = [];
    /// <summary>File name under cover/, or null when there is no cover.</summary>
    public string? CoverFilename { get; init; }
    public bool FileExists { get; init; }
    public long? FileSize { get; init; }
    public DateTime? VideoSavedAt { get; init; }
    public DateTime CreatedAt { get; init; }
}

public sealed record ResourceDetailActor
{
    public required long Id { get; init; }
    public required string Name { get; init; }
    /// <summary>The metadata site's picture URL; null when none or a "no picture" placeholder.</summary>
    public string? AvatarUrl { get; init; }
    /// <summary>File name under avatar/ when the picture is stored.</summary>
    public string? AvatarFilename { get; init; }
}
