using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NasSav.Catalog.Data;
using NasSav.Catalog.Http;
using NasSav.ServiceDefaults.Http;

namespace NasSav.Catalog.Resources;

/// <summary>
/// GET /resource/metadata?avid=: shape M with a content ETag and Last-Modified = metadata_updated_at,
/// which moves on every change (CatalogDbContext), so a 304 never hides a change.
/// </summary>
public static class ResourceMetadataEndpoint
{
    public sealed record Metadata(
        [property: JsonPropertyName("avid")] string Avid,
        [property: JsonPropertyName("original_title")] string OriginalTitle,
        [property: JsonPropertyName("source_title")] string SourceTitle,
        [property: JsonPropertyName("translated_title")] string TranslatedTitle,
        [property: JsonPropertyName("source")] string Source,
        [property: JsonPropertyName("release_date")] string ReleaseDate,
        [property: JsonPropertyName("duration")] string Duration,
        [property: JsonPropertyName("director")] string Director,
        [property: JsonPropertyName("studio")] string Studio,
        [property: JsonPropertyName("label")] string Label,
        [property: JsonPropertyName("series")] string Series,
        [property: JsonPropertyName("actors")] IReadOnlyList<string> Actors,
        [property: JsonPropertyName("genres")] IReadOnlyList<string> Genres,
        [property: JsonPropertyName("file_exists")] bool FileExists,
        [property: JsonPropertyName("file_size")] long? FileSize,
        [property: JsonPropertyName("watched")] bool Watched,
        [property: JsonPropertyName("is_favorite")] bool IsFavorite,
        // Our additions (read-only; the UI ignores unknown fields).
        [property: JsonPropertyName("translation_status")] string TranslationStatus,
        [property: JsonPropertyName("translation_error")] string? TranslationError);

    public static IEndpointRouteBuilder MapResourceMetadata(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet($"{ApiPipeline.ApiPrefix}/resource/metadata", Get);
        return endpoints;
    }

    private static async Task<IResult> Get(HttpContext context, CatalogDbContext db, CancellationToken ct)
    {
        if (!AvidInput.TryFromQuery(context.Request, out var avid, out var error)) return error!;
        var resource = await db.FindWithLinksAsync(avid, ct);
        if (resource is null) return ApiResults.Error(404, $"资源 {avid} 的元数据不存在");

        var data = From(resource);
        // Also on the 304 (the pipeline only marks JSON answers): the stored copy must be revalidated on every use.
        context.Response.Headers.CacheControl = "no-cache";
        if (ConditionalGet.IsNotModified(context, CanonicalJson.ETag(data), Times.AsUtc(resource.MetadataUpdatedAt)))
            return ConditionalGet.NotModified();
        return ApiResults.Ok(data);
    }

    public static Metadata From(Resource r)
    {
        var extra = ReadExtra(r.Metadata);
        var resource = ResourceObject.From(r);
        return new Metadata(
            r.Avid, r.OriginalTitle ?? "", r.SourceTitle ?? "", r.TranslatedTitle ?? "", r.Source ?? "", r.ReleaseDate ?? "",
            FormatDuration(r.Duration),
            extra.GetValueOrDefault("director", ""), extra.GetValueOrDefault("studio", ""),
            extra.GetValueOrDefault("label", ""), extra.GetValueOrDefault("series", ""),
            resource.Actors, resource.Genres,
            r.FileExists, r.FileSize is > 0 ? r.FileSize : null, r.Watched, r.IsFavorite,
            r.TranslationStatus, r.TranslationError);
    }

    /// <summary>
    /// Stored seconds as the UI shows them: "120分钟" like the peer, but rounded to the nearest minute (a measured
    /// 7199.6 s is 120, not 119) and in seconds below one minute ("8秒", where the peer said "0分钟"); "" when unknown.
    /// </summary>
    public static string FormatDuration(int? seconds) => seconds switch
    {
        null or <= 0 => "",
        < 60 => seconds.Value.ToString(CultureInfo.InvariantCulture) + "秒",
        _ => ((seconds.Value + 30) / 60).ToString(CultureInfo.InvariantCulture) + "分钟",
    };

    private static readonly string[] ExtraKeys = ["director", "studio", "label", "series"];

    /// <summary>Keys (default director, studio, label and series) from the stored metadata JSON, when they are non-empty strings.</summary>
    public static Dictionary<string, string> ReadExtra(string? json, IReadOnlyList<string>? keys = null)
    {
        var result = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(json)) return result;
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return result;
            foreach (var key in keys ?? ExtraKeys)
                if (doc.RootElement.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s)
                    result[key] = s;
        }
        catch (JsonException)
        {
            // Damaged metadata hides the extra fields; the rest of the answer comes from columns.
        }
        return result;
    }
}
