using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NasSav.Catalog.Data;
using NasSav.Catalog.Http;
using NasSav.Catalog.Lifecycle;
using NasSav.Catalog.Sources;
using NasSav.ServiceDefaults.Http;

namespace NasSav.Catalog.Resources;

/// <summary>
/// POST /resource {avid, source?}: 409 when the row exists with its metadata; otherwise the lifecycle saga runs the add
/// (or resumes it, for a row without metadata) and
/// this waits up to Lifecycle:AddWaitSeconds: 201 when the metadata step is done, 202 while it still
/// runs, 409 when the AVID is already being added, the source's 403/404/502 (504 on a timeout) when it failed.
/// </summary>
public static class ResourceAddEndpoint
{
    public static IEndpointRouteBuilder MapResourceAdd(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost($"{ApiPipeline.ApiPrefix}/resource", Add);
        return endpoints;
    }

    private static async Task<IResult> Add(HttpRequest request, CatalogDbContext db, SourceRegistry sources, LifecycleClient lifecycle, CancellationToken ct)
    {
        var body = await JsonBody.ReadObjectAsync(request, ct);
        if (!body.Ok) return body.Error!;
        var source = AddRequest.AnySource;
        var problem = AddRequest.ReadAvid(body.Value, out var avid) ?? AddRequest.ReadSource(body.Value, sources, out source);
        if (problem is not null) return ApiResults.Error(problem.Code, problem.Message, problem.Data);

        // A row without metadata is not "existing" yet: the add resumes its lifecycle (the saga decides the step).
        var existing = await db.FindAsync(avid, ct);
        if (existing is { HasMetadata: true }) return ApiResults.Error(409, $"资源 {avid} 已存在", ResourceBrief.From(existing));

        var outcome = await lifecycle.AddAsync(avid, source, ct);
        var row = await db.FindAsync(avid, ct);
        object known = row is null ? new { avid = avid.Value } : ResourceBrief.From(row);
        return outcome.Answer switch
        {
            LifecycleAnswer.Done => ApiResults.Envelope(201, "success", new
            {
                resource = known,
                cover_downloaded = outcome.CoverSaved,
                metadata_saved = row is not null,
                scraped = outcome.Scraped,
            }),
            LifecycleAnswer.Exists => ApiResults.Error(409, row is null ? $"资源 {avid} 正在处理中" : $"资源 {avid} 已存在", known),
            LifecycleAnswer.StillRunning => ApiResults.Envelope(202, outcome.Message!, known),
            _ => ApiResults.Error(outcome.Code, outcome.Message ?? $"获取{avid}失败"),
        };
    }
}
