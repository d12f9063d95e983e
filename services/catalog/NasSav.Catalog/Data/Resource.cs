namespace NasSav.Catalog.Data;

/// <summary>One title in the library (the peer's AVResource).</summary>
public sealed class Resource
{
    public long Id { get; set; }
    /// <summary>Normalised AVID (see Avid): unique, upper case.</summary>
    public required string Avid { get; set; }
    /// <summary>Japanese title from the metadata site; "" until scraped.</summary>
    public string OriginalTitle { get; set; } = "";

    /// <summary>
    /// The metadata step has put metadata on this row (its original title). A row without it (the step never ran,
    /// failed, or found nothing) is what an add resumes instead of answering "exists", and what the watchdog lists.
    /// </summary>
    public bool HasMetadata => OriginalTitle.Length > 0;

    /// <summary><see cref="HasMetadata"/> for queries.</summary>
    public static readonly System.Linq.Expressions.Expression<Func<Resource, bool>> WithoutMetadata = r => r.OriginalTitle == "";
    /// <summary>Title on the source site, prefixed with the AVID.</summary>
    public string? SourceTitle { get; set; }
    public string? TranslatedTitle { get; set; }
    public string TranslationStatus { get; set; } = TranslationStatuses.Pending;
    /// <summary>Why the last translation failed (the translator's reason, a fault, a timeout); cleared on success.</summary>
    public string? TranslationError { get; set; }
    /// <summary>Display name of the source ("MissAV", "Jable"...); "" when unknown.</summary>
    public string Source { get; set; } = "";
    /// <summary>YYYY-MM-DD or "".</summary>
    public string ReleaseDate { get; set; } = "";
    /// <summary>Seconds.</summary>
    public int? Duration { get; set; }
    /// <summary>The scraped metadata as JSON (director, studio, label, series, actor_avatars...).</summary>
    public string? Metadata { get; set; }
    public string? M3u8 { get; set; }
    /// <summary>The page the source step found the m3u8 on: the stream's Referer (and the cover's).</summary>
    public string? SourcePageUrl { get; set; }
    public string? CoverFilename { get; set; }
    public bool FileExists { get; set; }
    public long? FileSize { get; set; }
    public bool Watched { get; set; }
    public bool IsFavorite { get; set; }
    /// <summary>Set on creation (the peer never set it, breaking its default sort).</summary>
    public DateTime? MetadataCreatedAt { get; set; }
    /// <summary>Moves on every change that alters an API answer (see CatalogDbContext.SaveChanges).</summary>
    public DateTime MetadataUpdatedAt { get; set; }
    public DateTime? VideoSavedAt { get; set; }
    public DateTime CreatedAt { get; set; }

    public List<ResourceActor> ActorLinks { get; set; } = [];
    public List<ResourceGenre> GenreLinks { get; set; } = [];
}

public static class TranslationStatuses
{
    public const string Pending = "pending";
    public const string Translating = "translating";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Skipped = "skipped";

    public static readonly IReadOnlyList<string> All = [Pending, Translating, Completed, Failed, Skipped];
}
