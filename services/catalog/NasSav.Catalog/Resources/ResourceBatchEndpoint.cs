using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NasSav.Catalog.Data;
using NasSav.Catalog.Downloads;
using NasSav.Catalog.Http;
using NasSav.Catalog.Lifecycle;
using NasSav.Catalog.Sources;
using NasSav.Media.Avids;
using NasSav.ServiceDefaults.Http;
using NasSav.Sagas.Outbox;

namespace NasSav.Catalog.Resources;

/// <summary>
/// POST /resources/batch {actions:[{action, avid, ...}]}: one result per action, in order, always HTTP 200 (an action
/// that fails, e.g. while the database restarts, gets its own error entry: 503 or 500).
/// Actions run Lifecycle:BatchConcurrency at a time (no sleeps); the actions of one AVID run one after
/// the other in their order, so "delete then add" means what it says. Each action has its own scope.
/// </summary>
public static class ResourceBatchEndpoint
{
    public const int MaxActions = 500;

    private sealed record Context(CatalogDbContext Db, ResourceFiles Files, SourceRegistry Sources, LifecycleClient Lifecycle,
        TransactionalOutbox<CatalogDbContext> Outbox, CancellationToken Ct);

    public static IEndpointRouteBuilder MapResourceBatch(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost($"{ApiPipeline.ApiPrefix}/resources/batch", Batch);
        return endpoints;
    }

    private static async Task<IResult> Batch(HttpRequest request, IServiceScopeFactory scopes, IOptions<LifecycleOptions> options,
        ILoggerFactory loggers, CancellationToken ct)
    {
        var body = await JsonBody.ReadObjectAsync(request, ct);
        if (!body.Ok) return body.Error!;
        if (!body.Value.TryGetProperty("actions", out var actions) || actions.ValueKind != JsonValueKind.Array)
            return ApiResults.Error(400, "actions 参数必须是数组");
        if (actions.GetArrayLength() > MaxActions) return ApiResults.Error(400, $"actions 最多 {MaxActions} 个");

        var items = actions.EnumerateArray().Select((a, i) => (Item: a.Clone(), Index: i)).ToList();
        var results = new Dictionary<string, object?>[items.Count];
        var chains = items.GroupBy(x => ChainKey(x.Item) ?? $"#{x.Index}").Select(g => g.ToList()).ToList();
        var logger = loggers.CreateLogger(typeof(ResourceBatchEndpoint));
        await Parallel.ForEachAsync(chains, new ParallelOptions { MaxDegreeOfParallelism = options.Value.BatchConcurrency, CancellationToken = ct },
            async (chain, token) =>
            {
                foreach (var (item, index) in chain)
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var sp = scope.ServiceProvider;
                    var context = new Context(sp.GetRequiredService<CatalogDbContext>(), sp.GetRequiredService<ResourceFiles>(),
                        sp.GetRequiredService<SourceRegistry>(), sp.GetRequiredService<LifecycleClient>(),
                        sp.GetRequiredService<TransactionalOutbox<CatalogDbContext>>(), token);
                    results[index] = await BatchItems.RunAsync($"#{index}", () => RunAsync(item, context),
                        (code, message) => Result(Field(item, "action"), Field(item, "avid"), code, message), logger, token);
                }
            });
        return ApiResults.Ok(new { results });
    }

    private static string? Field(JsonElement item, string name) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>Actions on the same AVID share a chain (run in order); null for an action without a valid AVID.</summary>
    private static string? ChainKey(JsonElement item) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty("avid", out var v) && v.ValueKind == JsonValueKind.String
            && Avid.TryParse(v.GetString(), out var avid, out _) ? avid.Value : null;

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
        var problem = AddRequest.ReadSource(item, c.Sources, out var source);
        if (problem is not null) return Result("add", avid.Value, problem.Code, problem.Message);
        var existing = await c.Db.FindWithLinksAsync(avid, c.Ct);
        // The UI reads code 200 + "already exists" as "exists". A row without metadata is resumed by the add instead.
        if (existing is { HasMetadata: true }) return Result("add", avid.Value, 200, "already exists", ResourceObject.From(existing));

        var outcome = await c.Lifecycle.AddAsync(avid, source, c.Ct);
        c.Db.ChangeTracker.Clear();
        var row = await c.Db.FindWithLinksAsync(avid, c.Ct);
        return outcome.Answer switch
        {
            LifecycleAnswer.Done when row is not null => Result("add", avid.Value, 201, "created", ResourceServiceObject.From(row)),
            LifecycleAnswer.Done => Result("add", avid.Value, 404, $"资源 {avid} 已删除"),
            LifecycleAnswer.Exists when row is not null => Result("add", avid.Value, 200, "already exists", ResourceObject.From(row)),
            LifecycleAnswer.Exists => Result("add", avid.Value, 409, $"资源 {avid} 正在处理中"),
            LifecycleAnswer.StillRunning => Result("add", avid.Value, 202, "processing", row is null ? null : ResourceObject.From(row)),
            _ => Result("add", avid.Value, outcome.Code, outcome.Message ?? $"获取{avid}失败"),
        };
    }

    private static async Task<Dictionary<string, object?>> RefreshAsync(JsonElement item, Avid avid, Context c)
    {
        var flags = RefreshFlags.Read(item, out var message);
        if (flags is null) return Result("refresh", avid.Value, 400, message!);
        var resource = await c.Db.FindWithLinksAsync(avid, c.Ct);
        if (resource is null) return Result("refresh", avid.Value, 404, "资源不存在");
        if (flags.NeedsSource && string.IsNullOrEmpty(resource.Source)) return Result("refresh", avid.Value, 400, "没有 source 信息");
        if (!flags.Any) return Result("refresh", avid.Value, 200, "refreshed", ResourceObject.From(resource));

        var outcome = await c.Lifecycle.RefreshAsync(avid, flags.RefreshM3u8, flags.RefreshMetadata, flags.Retranslate, c.Ct);
        c.Db.ChangeTracker.Clear();
        var current = await c.Db.FindWithLinksAsync(avid, c.Ct);
        var shape = current is null ? null : ResourceObject.From(current);
        switch (outcome.Answer)
        {
            case LifecycleAnswer.Done:
                var result = Result("refresh", avid.Value, 200, "refreshed", shape);
                foreach (var (key, value) in ResourceRefreshEndpoint.Data(flags, outcome, shape, batch: true)) result[key] = value;
                return result;
            case LifecycleAnswer.StillRunning:
                return Result("refresh", avid.Value, 202, "processing", shape);
            default:
                return Result("refresh", avid.Value, outcome.Code, outcome.Message ?? $"刷新 {avid} 失败");
        }
    }

    private static async Task<Dictionary<string, object?>> DeleteVideoAsync(Avid avid, Context c)
    {
        var outcome = await VideoRemoval.DeleteAsync(avid, c.Db, c.Files, c.Outbox, c.Ct);
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
        var outcome = await ResourceDeleteEndpoint.DeleteAsync(avid, c.Db, c.Files, c.Outbox, c.Ct);
        if (!outcome.Found) return Result(action, avid.Value, 404, "资源不存在");
        var result = Result(action, avid.Value, 200, "已删除全部数据", outcome.Resource);
        result["deleted_files"] = outcome.DeletedFiles;
        return result;
    }

    private static Dictionary<string, object?> Result(string? action, string? avid, int code, string message, object? resource = null) =>
        new() { ["action"] = action, ["avid"] = avid, ["code"] = code, ["message"] = message, ["resource"] = resource };
}
