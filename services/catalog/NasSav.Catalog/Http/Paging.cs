using Microsoft.EntityFrameworkCore;
using NasSav.ServiceDefaults.Http;

namespace NasSav.Catalog.Http;

/// <summary>
/// Page numbers as the peer's Django Paginator.get_page: a page below 1 or past the end gives the last
/// page (and says so in pagination.page); an empty result is page 1 of 1. page_size is echoed as served.
/// </summary>
public static class Paging
{
    public const int DefaultPageSize = 20;
    /// <summary>
    /// The largest page served. The NASSAV UI's page-size box takes any number and the peer served any size:
    /// larger asks are clamped to this (and pagination.page_size says so), never refused.
    /// </summary>
    public const int MaxPageSize = 1000;

    public readonly record struct Request(int Page, int PageSize);

    /// <summary>page: any integer (default 1); page_size: any positive integer (default 20), clamped to MaxPageSize. Errors go to the reader.</summary>
    public static Request Read(QueryReader query)
    {
        var page = query.ClampedInt("page", 1);
        var size = query.ClampedInt("page_size", DefaultPageSize);
        if (size < 1)
        {
            query.Reject($"page_size 参数无效: 必须是正整数 (大于 {MaxPageSize} 时按 {MaxPageSize} 返回)");
            size = DefaultPageSize;
        }
        return new(page, Math.Min(size, MaxPageSize));
    }

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
