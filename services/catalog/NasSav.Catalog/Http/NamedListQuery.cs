using Microsoft.AspNetCore.Http;
using NasSav.ServiceDefaults.Http;

namespace NasSav.Catalog.Http;

/// <summary>
/// The query of /actors/ and /genres/: page, page_size, order_by (count|name), order (asc|desc),
/// search (name substring) and id. Bad values are 400s (the peer's int() gave HTML 500s).
/// </summary>
public sealed record NamedListQuery(Paging.Request Paging, bool ByName, bool Descending, string? Search, long? Id)
{
    public static NamedListQuery? Read(HttpRequest request, out QueryReader reader)
    {
        reader = new QueryReader(request.Query);
        var paging = Http.Paging.Read(reader);
        var orderBy = reader.Choice("order_by", "count", "count", "name");
        var order = reader.Choice("order", "desc", "asc", "desc");
        var search = reader.String("search");
        var id = reader.Long("id");
        return reader.Error is null ? new NamedListQuery(paging, orderBy == "name", order == "desc", search, id) : null;
    }

    /// <summary>
    /// Filters, orders and pages actor or genre rows by the reference's rules: an explicit id shows that
    /// row even with no works (the UI's detail header), lists hide zero counts; count order breaks ties
    /// by name, name order by id.
    /// </summary>
    public async Task<(List<NamedCountRow> Items, Pagination Pagination)> PageAsync(IQueryable<NamedCountRow> rows, CancellationToken ct)
    {
        rows = Id is { } id ? rows.Where(r => r.Id == id) : rows.Where(r => r.Count > 0);
        if (Search is { } search)
        {
            var term = search.ToLower();
            rows = rows.Where(r => r.Name.ToLower().Contains(term));
        }
        var ordered = ByName
            ? Descending ? rows.OrderByDescending(r => r.Name).ThenBy(r => r.Id) : rows.OrderBy(r => r.Name).ThenBy(r => r.Id)
            : Descending ? rows.OrderByDescending(r => r.Count).ThenBy(r => r.Name) : rows.OrderBy(r => r.Count).ThenBy(r => r.Name);
        return await Http.Paging.PageAsync(ordered, Paging, ct);
    }
}

/// <summary>An actor or genre with its resource count. Member-init (not a constructor) so EF can filter and sort on it.</summary>
public sealed class NamedCountRow
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public int Count { get; init; }
    public string? AvatarUrl { get; init; }
    public string? AvatarFilename { get; init; }
}
