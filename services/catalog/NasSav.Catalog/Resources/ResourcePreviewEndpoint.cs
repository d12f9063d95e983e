using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using NasSav.Catalog.Covers;
using NasSav.Catalog.Data;
using NasSav.Catalog.Http;
using NasSav.ServiceDefaults.Http;

namespace NasSav.Catalog.Resources;

/// <summary>GET /resource/{avid}/preview: the stored metadata JSON and the small thumbnail URL.</summary>
public static class ResourcePreviewEndpoint
{
    public static IEndpointRouteBuilder MapResourcePreview(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet($"{ApiPipeline.ApiPrefix}/resource/{{avid:{ReservedWordConstraint.Name}}}/preview", Get);
        return endpoints;
    }

    private static async Task<IResult> Get(string avid, CatalogDbContext db, CoverLocator covers, CancellationToken ct)
    {
        if (!AvidInput.TryParse(avid, out var id, out var error)) return error!;
        var r = await db.Resources.AsNoTracking().FirstOrDefaultAsync(x => x.Avid == id.Value, ct);
        if (r is null) return ApiResults.Error(404, $"资源 {id} 不存在");

        object metadata = ParseObject(r.Metadata) ?? (object)new
        {
            avid = r.Avid,
            original_title = r.OriginalTitle,
            source_title = r.SourceTitle,
            translated_title = r.TranslatedTitle,
            source = r.Source,
            release_date = r.ReleaseDate,
        };
        return ApiResults.Ok(new
        {
            metadata,
            thumbnail_url = CoverLocator.ThumbnailUrl(id, "small", await covers.FindAsync(id, ct)),
            // Our additions (read-only).
            translation_status = r.TranslationStatus,
            translation_error = r.TranslationError,
        });
    }

    private static JsonElement? ParseObject(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.Object ? doc.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
