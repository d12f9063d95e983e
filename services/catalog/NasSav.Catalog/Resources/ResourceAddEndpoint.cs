using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NasSav.Catalog.Data;
using NasSav.Catalog.Http;
using NasSav.Catalog.Sources;
using NasSav.ServiceDefaults.Http;

namespace NasSav.Catalog.Resources;

/// <summary>
/// POST /resource {avid, source?}: validation and the "already exists" answer are final; the add itself
/// (source lookup, scrape, cover) belongs to the scraper and answers 503 until it exists.
/// </summary>
public static class ResourceAddEndpoint
{
    public static IEndpointRouteBuilder MapResourceAdd(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost($"{ApiPipeline.ApiPrefix}/resource", Add);
        return endpoints;
    }

    private static async Task<IResult> Add(HttpRequest request, CatalogDbContext db, SourceRegistry sources, CancellationToken ct)
    {
        var body = await JsonBody.ReadObjectAsync(request, ct);
        if (!body.Ok) return body.Error!;
        var problem = AddRequest.ReadAvid(body.Value, out var avid) ?? AddRequest.ReadSource(body.Value, sources, out _);
        if (problem is not null) return ApiResults.Error(problem.Code, problem.Message, problem.Data);

        var existing = await db.FindAsync(avid, ct);
        if (existing is not null) return ApiResults.Error(409, $"资源 {avid} 已存在", ResourceBrief.From(existing));
        return Unavailable.Because("资源添加", Unavailable.ScraperMessage);
    }
}
