using Microsoft.EntityFrameworkCore;
using NasSav.ServiceDefaults.Http;

namespace NasSav.Catalog.Http;

/// <summary>
/// Page numbers as the peer's Django Paginator.get_page: a page below 1 or past the end gives the last
/// page (and says so in pagination.page); an empty result is page 1 of 1. page_size is echoed.
/// </summary>
public static class Paging
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    public readonly record struct Request(int Page, int PageSize);

    /// <summary>page: any integer (default 1); page_size: 1..MaxPageSize (default 20). Errors go to the reader.</summary>
    public static Request Read(QueryReader query) =>
        new(query.Int("page", 1), query.Int("page_size", DefaultPageSize, 1, MaxPageSize));

    public static async Task<(List<T> Items, Pagination Pagination)> PageAsync<T>(IQueryable<T> ordered, Request request, CancellationToken ct)
    {
        var total = await ordered.CountAsync(ct);
        var pages = Math.Max(1, (total + request.PageSize - 1) / request.PageSize);
        var page = request.Page < 1 || request.Page > pages ? pages : request.Page;
        var items = total == 0
            ? []
            : await ordered.Skip((page - 1) * request.PageSize).Take(request.PageSize).ToListAsync(ct);
        return (items, new Pagination(total, page, request.PageSize, pages));
    }
}
