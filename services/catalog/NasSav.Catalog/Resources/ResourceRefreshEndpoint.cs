using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NasSav.Catalog.Data;
using NasSav.Catalog.Http;
using NasSav.ServiceDefaults.Http;

namespace NasSav.Catalog.Resources;

/// <summary>
/// POST /resource/refresh/{avid} {refresh_m3u8?, refresh_metadata?, retranslate?}: validation and the
/// 404s are final; the refresh itself belongs to the scraper and translator and answers 503 until they exist.
/// </summary>
public static class ResourceRefreshEndpoint
{
    public static IEndpointRouteBuilder MapResourceRefresh(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost($"{ApiPipeline.ApiPrefix}/resource/refresh/{{avid}}", Refresh);
        return endpoints;
    }

    private static async Task<IResult> Refresh(string avid, HttpRequest request, CatalogDbContext db, CancellationToken ct)
    {
        if (!AvidInput.TryParse(avid, out var id, out var error)) return error!;
        var body = await JsonBody.ReadObjectAsync(request, ct);
        if (!body.Ok) return body.Error!;
        var flags = RefreshFlags.Read(body.Value, out var message);
        if (flags is null) return ApiResults.Error(400, message!);

        var resource = await db.FindWithLinksAsync(id, ct);
        if (resource is null)
            return ApiResults.Error(404, flags.NeedsSource ? $"获取{id}失败。database:404" : $"{id} 的资源不存在");
        // Nothing asked: nothing to do, and that is a true success.
        if (!flags.Any) return ApiResults.Ok(new { resource = ResourceObject.From(resource) });
        if (flags.NeedsSource)
        {
            if (string.IsNullOrEmpty(resource.Source)) return ApiResults.Error(404, $"获取{id}失败。{id} 没有 source 信息");
            return Unavailable.Because("刷新", Unavailable.ScraperMessage);
        }
        return Unavailable.Because("重新翻译", Unavailable.TranslatorMessage);
    }
}
