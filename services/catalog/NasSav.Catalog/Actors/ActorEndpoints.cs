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
    // Member-init (not a constructor) so EF can filter and sort on the projected fields.
    private sealed class Row
    {
        public long Id { get; init; }
        public string Name { get; init; } = "";
        public int Count { get; init; }
        public string? AvatarUrl { get; init; }
        public string? AvatarFilename { get; init; }
    }

    public static IEndpointRouteBuilder MapActorEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet($"{ApiPipeline.ApiPrefix}/actors", List);
        return endpoints;
    }

    private static async Task<IResult> List(HttpRequest request, CatalogDbContext db, CancellationToken ct)
    {
        var query = NamedListQuery.Read(request, out var reader);
        if (query is null) return reader.ErrorResult;

        var rows = db.Actors.AsNoTracking()
            .Select(a => new Row { Id = a.Id, Name = a.Name, Count = a.ResourceLinks.Count, AvatarUrl = a.AvatarUrl, AvatarFilename = a.AvatarFilename });
        // An explicit id shows that actor even with no works (the UI's actor header); lists hide them.
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
        return ApiResults.Paged(items.Select(ToItem).ToList(), pagination);
    }

    private static object ToItem(Row r)
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
