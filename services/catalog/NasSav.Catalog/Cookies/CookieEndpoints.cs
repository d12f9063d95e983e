using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using NasSav.Catalog.Data;
using NasSav.Catalog.Http;
using NasSav.Catalog.Sources;
using NasSav.ServiceDefaults.Http;

namespace NasSav.Catalog.Cookies;

/// <summary>
/// GET/POST/DELETE /source/cookie. One row per source, keyed by the lower-cased name (the peer could
/// hold "MissAV" and "missav" side by side); answers show the configured display name.
/// </summary>
public static class CookieEndpoints
{
    public static IEndpointRouteBuilder MapCookieEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var path = $"{ApiPipeline.ApiPrefix}/source/cookie";
        endpoints.MapGet(path, List);
        endpoints.MapPost(path, Set);
        endpoints.MapDelete(path, Clear);
        return endpoints;
    }

    private static async Task<IResult> List(CatalogDbContext db, SourceRegistry sources, CancellationToken ct)
    {
        var rows = await db.SourceCookies.AsNoTracking().ToListAsync(ct);
        var items = rows
            .Select(r => new { source = sources.Find(r.Source)?.Name ?? r.Source, cookie = r.Cookie, mtime = Times.Iso(r.UpdatedAt) })
            .OrderBy(r => r.source, StringComparer.OrdinalIgnoreCase)
            .ToList();
        return ApiResults.Ok(items);
    }

    private static async Task<IResult> Set(HttpRequest request, CatalogDbContext db, SourceRegistry sources, CancellationToken ct)
    {
        var body = await JsonBody.ReadObjectAsync(request, ct);
        if (!body.Ok) return body.Error!;
        if (!JsonFields.TryString(body.Value, "source", out var sourceName, out var error)) return ApiResults.Error(400, error);
        if (string.IsNullOrWhiteSpace(sourceName)) return ApiResults.Error(400, "source 参数缺失");
        if (!JsonFields.TryString(body.Value, "cookie", out var cookie, out error)) return ApiResults.Error(400, error);
        if (!JsonFields.TryFlag(body.Value, "auto", false, out var auto, out error)) return ApiResults.Error(400, error);

        var source = sources.Find(sourceName);
        // auto: true or "true" asks for auto-fetch; false, "false" and absent do not (the peer read "false" as true).
        if (auto)
        {
            if (source is null) return ApiResults.Error(404, $"无法获取 {sourceName} 实例");
            return Unavailable.Because("Cookie 自动获取", Unavailable.ScraperMessage);
        }
        if (string.IsNullOrEmpty(cookie)) return ApiResults.Error(400, "未提供 cookie 且 auto 未设置为 True");
        if (source is null) return UnknownSource(sourceName, sources);
        // The cookie becomes a request header when the scraper fetches pages.
        if (cookie.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0) return ApiResults.Error(400, "cookie 不能包含换行符或 NUL");

        var row = await db.SourceCookies.FindAsync([source.Key], ct);
        if (row is null) db.SourceCookies.Add(new SourceCookie { Source = source.Key, Cookie = cookie });
        else row.Cookie = cookie;
        await db.SaveChangesAsync(ct);
        return ApiResults.Ok(new { source = sourceName, cookie_set = true, auto_fetched = false });
    }

    private static async Task<IResult> Clear(HttpRequest request, CatalogDbContext db, SourceRegistry sources, CancellationToken ct)
    {
        var sourceName = request.Query["source"].ToString().Trim();
        if (sourceName.Length == 0) return ApiResults.Error(400, "source 参数缺失");
        // A row left from a source that was since removed from configuration can still be cleared.
        var key = sources.Find(sourceName)?.Key ?? sourceName.ToLowerInvariant();
        var row = await db.SourceCookies.FindAsync([key], ct);
        if (row is null && sources.Find(sourceName) is null) return UnknownSource(sourceName, sources);
        if (row is not null)
        {
            // Really deleted (the peer wrote "", which the UI still counted as "has cookie").
            db.SourceCookies.Remove(row);
            await db.SaveChangesAsync(ct);
        }
        return ApiResults.Ok(new { source = sourceName, cookie_set = false }, "Cookie 已清除");
    }

    private static IResult UnknownSource(string name, SourceRegistry sources) =>
        ApiResults.Error(404, $"源 {name} 不存在", new { available_sources = sources.DisplayNames });
}
