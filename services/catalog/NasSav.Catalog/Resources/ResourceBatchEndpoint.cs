using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NasSav.Catalog.Data;
using NasSav.Catalog.Downloads;
using NasSav.Catalog.Http;
using NasSav.Catalog.Sources;
using NasSav.ServiceDefaults.Avids;
using NasSav.ServiceDefaults.Http;

namespace NasSav.Catalog.Resources;

/// <summary>
/// POST /resources/batch {actions:[{action, avid, ...}]}: one result per action, in order, always HTTP 200.
/// Deletions run now; add and refresh validate fully and answer 503 per action until the scraper exists.
/// </summary>
public static class ResourceBatchEndpoint
{
    public const int MaxActions = 500;

    private sealed record Context(CatalogDbContext Db, ResourceFiles Files, SourceRegistry Sources, CancellationToken Ct);

    public static IEndpointRouteBuilder MapResourceBatch(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost($"{ApiPipeline.ApiPrefix}/resources/batch", Batch);
        return endpoints;
    }

    private static async Task<IResult> Batch(HttpRequest request, CatalogDbContext db, ResourceFiles files, SourceRegistry sources, CancellationToken ct)
    {
        var body = await JsonBody.ReadObjectAsync(request, ct);
        if (!body.Ok) return body.Error!;
        if (!body.Value.TryGetProperty("actions", out var actions) || actions.ValueKind != JsonValueKind.Array)
            return ApiResults.Error(400, "actions 参数必须是数组");
        if (actions.GetArrayLength() > MaxActions) return ApiResults.Error(400, $"actions 最多 {MaxActions} 个");

        var context = new Context(db, files, sources, ct);
        var results = new List<Dictionary<string, object?>>();
        foreach (var action in actions.EnumerateArray()) results.Add(await RunAsync(action, context));
        return ApiResults.Ok(new { results });
    }

    private static async Task<Dictionary<string, object?>> RunAsync(JsonElement item, Context c)
    {
        if (item.ValueKind != JsonValueKind.Object) return Result(null, null, 400, "action 必须是 JSON 对象");
        var name = item.TryGetProperty("action", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
        var rawAvid = item.TryGetProperty("avid", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        if (string.IsNullOrWhiteSpace(rawAvid)) return Result(name, null, 400, "avid 缺失");
        if (!Avid.TryParse(rawAvid, out var avid, out var invalid)) return Result(name, rawAvid, 400, invalid);

        return name switch
        {
            "add" => await AddAsync(item, avid, c),
            "refresh" => await RefreshAsync(item, avid, c),
            "delete-video" => await DeleteVideoAsync(avid, c),
            "delete" or "delete-all" => await DeleteAllAsync(name, avid, c),
            _ => Result(name, avid.Value, 400, "未知 action"),
        };
    }

    private static async Task<Dictionary<string, object?>> AddAsync(JsonElement item, Avid avid, Context c)
    {
        var problem = AddRequest.ReadSource(item, c.Sources, out _);
        if (problem is not null) return Result("add", avid.Value, problem.Code, problem.Message);
        var existing = await c.Db.FindWithLinksAsync(avid, c.Ct);
        // The UI reads code 200 + "already exists" as "exists".
        if (existing is not null) return Result("add", avid.Value, 200, "already exists", ResourceObject.From(existing));
        return Result("add", avid.Value, 503, $"资源添加暂不可用: {Unavailable.ScraperMessage}");
    }

    private static async Task<Dictionary<string, object?>> RefreshAsync(JsonElement item, Avid avid, Context c)
    {
        var flags = RefreshFlags.Read(item, out var message);
        if (flags is null) return Result("refresh", avid.Value, 400, message!);
        var resource = await c.Db.FindAsync(avid, c.Ct);
        if (resource is null) return Result("refresh", avid.Value, 404, "资源不存在");
        if (string.IsNullOrEmpty(resource.Source)) return Result("refresh", avid.Value, 400, "没有 source 信息");
        return Result("refresh", avid.Value, 503, $"刷新暂不可用: {Unavailable.ScraperMessage}");
    }

    private static async Task<Dictionary<string, object?>> DeleteVideoAsync(Avid avid, Context c)
    {
        var outcome = await VideoRemoval.DeleteAsync(avid, c.Db, c.Files, c.Ct);
        // A row that claimed a missing video has been corrected; the answer is still "no video".
        if (!outcome.Deleted) return Result("delete-video", avid.Value, 404, "视频不存在");
        var result = Result("delete-video", avid.Value, 200, "视频已删除");
        // As the peer: no "resource" key here, the file instead.
        result.Remove("resource");
        result["deleted_file"] = avid.Value + ".mp4";
        result["file_size"] = outcome.FileSize;
        return result;
    }

    private static async Task<Dictionary<string, object?>> DeleteAllAsync(string action, Avid avid, Context c)
    {
        var outcome = await ResourceDeleteEndpoint.DeleteAsync(avid, c.Db, c.Files, c.Ct);
        if (!outcome.Found) return Result(action, avid.Value, 404, "资源不存在");
        var result = Result(action, avid.Value, 200, "已删除全部数据", outcome.Resource);
        result["deleted_files"] = outcome.DeletedFiles;
        return result;
    }

    private static Dictionary<string, object?> Result(string? action, string? avid, int code, string message, object? resource = null) =>
        new() { ["action"] = action, ["avid"] = avid, ["code"] = code, ["message"] = message, ["resource"] = resource };
}
