using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NasSav.Catalog.Data;
using NasSav.Catalog.Http;
using NasSav.ServiceDefaults.Http;

namespace NasSav.Catalog.Resources;

/// <summary>PATCH /resource/{avid}/status {watched?, is_favorite?}: strict JSON booleans.</summary>
public static class ResourceStatusEndpoint
{
    public static IEndpointRouteBuilder MapResourceStatus(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPatch($"{ApiPipeline.ApiPrefix}/resource/{{avid:{ReservedWordConstraint.Name}}}/status", Patch);
        return endpoints;
    }

    private static async Task<IResult> Patch(string avid, HttpRequest request, CatalogDbContext db, CancellationToken ct)
    {
        if (!AvidInput.TryParse(avid, out var id, out var error)) return error!;
        var body = await JsonBody.ReadObjectAsync(request, ct);
        if (!body.Ok) return body.Error!;

        var resource = await db.FindAsync(id, ct);
        if (resource is null) return ApiResults.Error(404, $"资源 {id} 不存在");

        var hasWatched = !JsonFields.IsAbsent(body.Value, "watched");
        var hasFavorite = !JsonFields.IsAbsent(body.Value, "is_favorite");
        if (!JsonFields.TryBool(body.Value, "watched", resource.Watched, out var watched, out var message)) return ApiResults.Error(400, message);
        if (!JsonFields.TryBool(body.Value, "is_favorite", resource.IsFavorite, out var favorite, out message)) return ApiResults.Error(400, message);
        if (!hasWatched && !hasFavorite) return ApiResults.Error(400, "未提供任何要更新的字段");

        resource.Watched = watched;
        resource.IsFavorite = favorite;
        // SaveChanges moves metadata_updated_at, so /resource/metadata's ETag and Last-Modified change.
        await db.SaveChangesAsync(ct);
        return ApiResults.Ok(new { avid = resource.Avid, watched = resource.Watched, is_favorite = resource.IsFavorite });
    }
}
