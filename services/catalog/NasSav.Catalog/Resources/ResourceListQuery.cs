using System.Globalization;
using Microsoft.AspNetCore.Http;
using NasSav.Catalog.Data;
using NasSav.Catalog.Http;

namespace NasSav.Catalog.Resources;

/// <summary>The parsed query of GET /resources/; every filter is combined with AND.</summary>
public sealed class ResourceListQuery
{
    public required Paging.Request Paging { get; init; }
    public required string OrderField { get; init; }
    public required bool Descending { get; init; }
    public bool? FileExists { get; init; }
    public string[] Sources { get; init; } = [];
    public string? Actor { get; init; }
    public string? Genre { get; init; }
    public bool? Watched { get; init; }
    public bool? IsFavorite { get; init; }
    public string? Search { get; init; }

    public static ResourceListQuery? Read(HttpRequest request, out QueryReader reader)
    {
        reader = new QueryReader(request.Query);
        var paging = Http.Paging.Read(reader);

        // status (downloaded|pending|all) and file_exists both filter on the video; file_exists wins.
        var status = reader.Choice("status", "all", "all", "downloaded", "pending");
        var fileExists = reader.Flag("file_exists") ?? status switch { "downloaded" => true, "pending" => false, _ => (bool?)null };

        var (field, descending) = ReadOrdering(reader);
        var query = new ResourceListQuery
        {
            Paging = paging,
            OrderField = field,
            Descending = descending,
            FileExists = fileExists,
            Sources = (reader.String("source") ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
            Actor = reader.String("actor"),
            Genre = reader.String("genre"),
            Watched = reader.Flag("watched"),
            IsFavorite = reader.Flag("is_favorite"),
            Search = reader.String("search"),
        };
        return reader.Error is null ? query : null;
    }

    /// <summary>sort_by (+ order, default desc) first; else ordering ("field" or "-field"); else -metadata_updated_at.</summary>
    private static (string Field, bool Descending) ReadOrdering(QueryReader reader)
    {
        var sortBy = reader.String("sort_by");
        var order = reader.Choice("order", "desc", "asc", "desc");
        if (sortBy is not null)
        {
            if (ResourceOrdering.SortByFields.TryGetValue(sortBy, out var field)) return (field, order == "desc");
            return Invalid(reader, "sort_by", sortBy, ResourceOrdering.SortByFields.Keys);
        }
        var ordering = reader.String("ordering") ?? ResourceOrdering.DefaultOrdering;
        var descending = ordering.StartsWith('-');
        var name = descending ? ordering[1..] : ordering;
        return ResourceOrdering.IsKnown(name) ? (name, descending) : Invalid(reader, "ordering", ordering, ResourceOrdering.KnownFields);
    }

    private static (string, bool) Invalid(QueryReader reader, string parameter, string value, IEnumerable<string> allowed)
    {
        reader.Reject($"{parameter} 参数无效: '{value}'，支持 {string.Join('|', allowed)}");
        return ("metadata_updated_at", true);
    }

    public IQueryable<Resource> Apply(IQueryable<Resource> rows)
    {
        if (FileExists is { } exists) rows = rows.Where(r => r.FileExists == exists);
        if (Sources.Length > 0) rows = rows.Where(r => Sources.Contains(r.Source));
        if (Actor is not null)
        {
            if (long.TryParse(Actor, NumberStyles.None, CultureInfo.InvariantCulture, out var actorId))
                rows = rows.Where(r => r.ActorLinks.Any(l => l.ActorId == actorId));
            else
            {
                var name = Actor.ToLower();
                rows = rows.Where(r => r.ActorLinks.Any(l => l.Actor.Name.ToLower().Contains(name)));
            }
        }
        if (Genre is not null)
        {
            if (long.TryParse(Genre, NumberStyles.None, CultureInfo.InvariantCulture, out var genreId))
                rows = rows.Where(r => r.GenreLinks.Any(l => l.GenreId == genreId));
            else
            {
                var name = Genre.ToLower();
                rows = rows.Where(r => r.GenreLinks.Any(l => l.Genre.Name.ToLower().Contains(name)));
            }
        }
        if (Watched is { } watched) rows = rows.Where(r => r.Watched == watched);
        if (IsFavorite is { } favorite) rows = rows.Where(r => r.IsFavorite == favorite);
        if (Search is not null)
        {
            // The peer dropped search and the UI filtered one page client-side; here it searches the library.
            var upper = Search.ToUpperInvariant();
            var lower = Search.ToLower();
            rows = rows.Where(r => r.Avid.Contains(upper)
                || r.OriginalTitle.ToLower().Contains(lower)
                || (r.SourceTitle != null && r.SourceTitle.ToLower().Contains(lower))
                || (r.TranslatedTitle != null && r.TranslatedTitle.ToLower().Contains(lower)));
        }
        // Sorting by download time lists downloaded videos only (the peer's rule).
        if (OrderField == "video_saved_at") rows = rows.Where(r => r.FileExists && r.VideoSavedAt != null);
        return ResourceOrdering.Apply(rows, OrderField, Descending);
    }
}
