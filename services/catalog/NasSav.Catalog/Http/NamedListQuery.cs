using Microsoft.AspNetCore.Http;

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
}
