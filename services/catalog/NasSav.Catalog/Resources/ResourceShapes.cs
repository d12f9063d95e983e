using System.Text.Json.Serialization;
using NasSav.Catalog.Data;

namespace NasSav.Catalog.Resources;

/// <summary>Shape S of the reference: a /resources/ list item. Times are epoch seconds (floats).</summary>
public sealed record ResourceSummary(
    [property: JsonPropertyName("avid")] string Avid,
    [property: JsonPropertyName("original_title")] string OriginalTitle,
    [property: JsonPropertyName("source_title")] string? SourceTitle,
    [property: JsonPropertyName("translated_title")] string? TranslatedTitle,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("release_date")] string ReleaseDate,
    [property: JsonPropertyName("has_video")] bool HasVideo,
    [property: JsonPropertyName("watched")] bool Watched,
    [property: JsonPropertyName("is_favorite")] bool IsFavorite,
    [property: JsonPropertyName("metadata_create_time")] double? MetadataCreateTime,
    [property: JsonPropertyName("metadata_update_time")] double? MetadataUpdateTime,
    [property: JsonPropertyName("video_create_time")] double? VideoCreateTime,
    [property: JsonPropertyName("genres")] IReadOnlyList<string> Genres,
    [property: JsonPropertyName("thumbnail_url")] string ThumbnailUrl);

/// <summary>Shape A of the reference ("resource object"): strings are "" rather than null.</summary>
public sealed record ResourceObject(
    [property: JsonPropertyName("avid")] string Avid,
    [property: JsonPropertyName("original_title")] string OriginalTitle,
    [property: JsonPropertyName("source_title")] string SourceTitle,
    [property: JsonPropertyName("translated_title")] string TranslatedTitle,
    [property: JsonPropertyName("m3u8")] string M3u8,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("release_date")] string ReleaseDate,
    [property: JsonPropertyName("duration")] int? Duration,
    [property: JsonPropertyName("actors")] IReadOnlyList<string> Actors,
    [property: JsonPropertyName("genres")] IReadOnlyList<string> Genres,
    [property: JsonPropertyName("file_size")] long? FileSize,
    [property: JsonPropertyName("file_exists")] bool FileExists,
    [property: JsonPropertyName("watched")] bool Watched,
    [property: JsonPropertyName("is_favorite")] bool IsFavorite)
{
    /// <summary><paramref name="resource"/> with its ActorLinks.Actor and GenreLinks.Genre loaded.</summary>
    public static ResourceObject From(Resource resource) => new(
        resource.Avid,
        resource.OriginalTitle ?? "",
        resource.SourceTitle ?? "",
        resource.TranslatedTitle ?? "",
        resource.M3u8 ?? "",
        resource.Source ?? "",
        resource.ReleaseDate ?? "",
        resource.Duration,
        resource.ActorLinks.Select(l => l.Actor.Name).Order(StringComparer.Ordinal).ToList(),
        resource.GenreLinks.Select(l => l.Genre.Name).Order(StringComparer.Ordinal).ToList(),
        resource.FileSize,
        resource.FileExists,
        resource.Watched,
        resource.IsFavorite);
}

/// <summary>Shape C of the reference: the 5-field add result (also the 409 "already exists" data).</summary>
public sealed record ResourceBrief(
    [property: JsonPropertyName("avid")] string Avid,
    [property: JsonPropertyName("original_title")] string OriginalTitle,
    [property: JsonPropertyName("source_title")] string? SourceTitle,
    [property: JsonPropertyName("translated_title")] string? TranslatedTitle,
    [property: JsonPropertyName("source")] string Source)
{
    public static ResourceBrief From(Resource r) => new(r.Avid, r.OriginalTitle ?? "", r.SourceTitle, r.TranslatedTitle, r.Source ?? "");
}

/// <summary>Shape B of the reference (the peer's ResourceService object): the batch "created" result.</summary>
public sealed record ResourceServiceObject(
    [property: JsonPropertyName("avid")] string Avid,
    [property: JsonPropertyName("original_title")] string OriginalTitle,
    [property: JsonPropertyName("source_title")] string? SourceTitle,
    [property: JsonPropertyName("translated_title")] string? TranslatedTitle,
    [property: JsonPropertyName("translation_status")] string TranslationStatus,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("release_date")] string ReleaseDate,
    [property: JsonPropertyName("duration")] int? Duration,
    [property: JsonPropertyName("m3u8")] string? M3u8,
    [property: JsonPropertyName("cover_filename")] string? CoverFilename,
    [property: JsonPropertyName("file_exists")] bool FileExists,
    [property: JsonPropertyName("file_size")] long? FileSize,
    [property: JsonPropertyName("metadata_created_at")] string? MetadataCreatedAt,
    [property: JsonPropertyName("metadata_updated_at")] string? MetadataUpdatedAt,
    [property: JsonPropertyName("video_saved_at")] string? VideoSavedAt,
    [property: JsonPropertyName("created_at")] string? CreatedAt,
    [property: JsonPropertyName("actors")] IReadOnlyList<string> Actors,
    [property: JsonPropertyName("genres")] IReadOnlyList<string> Genres)
{
    /// <summary><paramref name="r"/> with its ActorLinks.Actor and GenreLinks.Genre loaded.</summary>
    public static ResourceServiceObject From(Resource r) => new(
        r.Avid, r.OriginalTitle ?? "", r.SourceTitle, r.TranslatedTitle, r.TranslationStatus, r.Source ?? "", r.ReleaseDate ?? "",
        r.Duration, r.M3u8, r.CoverFilename, r.FileExists, r.FileSize,
        Http.Times.Iso(r.MetadataCreatedAt), Http.Times.Iso(r.MetadataUpdatedAt), Http.Times.Iso(r.VideoSavedAt), Http.Times.Iso(r.CreatedAt),
        r.ActorLinks.Select(l => l.Actor.Name).Order(StringComparer.Ordinal).ToList(),
        r.GenreLinks.Select(l => l.Genre.Name).Order(StringComparer.Ordinal).ToList());
}
