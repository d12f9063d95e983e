using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using NasSav.Catalog.Data;
using NasSav.Catalog.Http;
using NasSav.ServiceDefaults.Http;

namespace NasSav.Catalog.Actors;

/// <summary>GET /actors/: actors with their resource counts.</summary>
public static class ActorEndpoints
{
    public static IEndpointRouteBuilder MapActorEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet($"{ApiPipeline.ApiPrefix}/actors", List);
        return endpoints;
    }

    private static async Task<IResult> List(HttpRequest request, CatalogDbContext db, CancellationToken ct)
    {
        var query = NamedListQuery.Read(request, out var reader);
        if (query is null) return reader.ErrorResult;

        var rows = db.Actors.AsNoTracking().Select(a => new NamedCountRow
        {
            Id = a.Id, Name = a.Name, Count = a.ResourceLinks.Count, AvatarUrl = a.AvatarUrl, AvatarFilename = a.AvatarFilename,
        });
        var (items, pagination) = await query.PageAsync(rows, ct);
        return ApiResults.Paged(items.Select(ToItem).ToList(), pagination);
    }

    private static object ToItem(NamedCountRow r)
    {
        // The metadata sites' "no picture" image is not an avatar: show none rather than a placeholder.
        var placeholder = r.AvatarUrl is not null && Actor.PlaceholderAvatarUrls.Contains(r.AvatarUrl);
        return new
        {
            id = r.Id,
            name = r.Name,
            resource_count = r.Count,
            avatar_url = placeholder ? null : r.AvatarUrl,
            avatar_filename = placeholder ? null : r.AvatarFilename,
        };
    }
}
