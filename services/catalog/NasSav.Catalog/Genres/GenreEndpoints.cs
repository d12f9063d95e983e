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
    // Member-init (not a constructor) so EF can filter and sort on the projected fields.
    private sealed class Row
    {
        public long Id { get; init; }
        public string Name { get; init; } = "";
        public int Count { get; init; }
    }

    public static IEndpointRouteBuilder MapGenreEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet($"{ApiPipeline.ApiPrefix}/genres", List);
        return endpoints;
    }

    private static async Task<IResult> List(HttpRequest request, CatalogDbContext db, CancellationToken ct)
    {
        var query = NamedListQuery.Read(request, out var reader);
        if (query is null) return reader.ErrorResult;

        var rows = db.Genres.AsNoTracking().Select(g => new Row { Id = g.Id, Name = g.Name, Count = g.ResourceLinks.Count });
        rows = query.Id is { } id ? rows.Where(r => r.Id == id) : rows.Where(r => r.Count > 0);
        if (query.Search is { } search)
        {
            var term = search.ToLower();
            rows = rows.Where(r => r.Name.ToLower().Contains(term));
        }
        var ordered = query.ByName
            ? query.Descending ? rows.OrderByDescending(r => r.Name).ThenBy(r => r.Id) : rows.OrderBy(r => r.Name).ThenBy(r => r.Id)
            : query.Descending ? rows.OrderByDescending(r => r.Count).ThenBy(r => r.Name) : rows.OrderBy(r => r.Count).ThenBy(r => r.Name);

        var (items, pagination) = await Paging.PageAsync(ordered, query.Paging, ct);
        return ApiResults.Paged(items.Select(r => new { id = r.Id, name = r.Name, resource_count = r.Count }).ToList(), pagination);
    }
}
