using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using NasSav.Catalog.Data;
using NasSav.Catalog.Http;
using NasSav.ServiceDefaults.Http;

namespace NasSav.Catalog.Genres;

/// <summary>GET /genres/: genres with their resource counts (same parameters and rules as /actors/).</summary>
public static class GenreEndpoints
{
    public static IEndpointRouteBuilder MapGenreEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet($"{ApiPipeline.ApiPrefix}/genres", List);
        return endpoints;
    }

    private static async Task<IResult> List(HttpRequest request, CatalogDbContext db, CancellationToken ct)
    {
        var query = NamedListQuery.Read(request, out var reader);
        if (query is null) return reader.ErrorResult;

        var rows = db.Genres.AsNoTracking().Select(g => new NamedCountRow { Id = g.Id, Name = g.Name, Count = g.ResourceLinks.Count });
        var (items, pagination) = await query.PageAsync(rows, ct);
        return ApiResults.Paged(items.Select(r => new { id = r.Id, name = r.Name, resource_count = r.Count }).ToList(), pagination);
    }
}
