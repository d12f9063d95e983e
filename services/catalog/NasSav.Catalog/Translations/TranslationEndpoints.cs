using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NasSav.Catalog.Data;
using NasSav.Catalog.Http;
using NasSav.Catalog.Lifecycle;
using NasSav.Media.Avids;
using NasSav.ServiceDefaults.Http;

namespace NasSav.Catalog.Translations;

/// <summary>
/// Our additions for batch retranslation (docs/catalog-api.md, docs/lifecycle.md):
/// <c>POST /translations/retranslate {status?, avids?, dry_run?, force?, limit?}</c> selects resources and asks
/// the lifecycle saga to retranslate each (a RefreshResource with Retranslate, and Force when asked);
/// <c>GET /translations/status[?avid=A&amp;avid=B]</c> counts resources per translation_status.
/// </summary>
public static class TranslationEndpoints
{
    public const int DefaultLimit = 1000;
    public const int MaxLimit = 10000;
    public const int MaxStatusAvids = 500;
    public static readonly IReadOnlyList<string> DefaultStatuses = [TranslationStatuses.Failed, TranslationStatuses.Pending];
    private static readonly HashSet<string> Fields = ["status", "avids", "dry_run", "force", "limit"];

    /// <summary>The outcome of one item of a (not dry) run.</summary>
    public static class ItemStatus
    {
        public const string Selected = "selected";
        public const string Queued = "queued";
        /// <summary>The saga took it but had not answered in Lifecycle:RefreshWaitSeconds.</summary>
        public const string Submitted = "submitted";
        /// <summary>No title to translate (translation_status is now "skipped").</summary>
        public const string NoTitle = "no_title";
        public const string Busy = "busy";
        public const string NotFound = "not_found";
        public const string Error = "error";
    }

    public static IEndpointRouteBuilder MapTranslationEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost($"{ApiPipeline.ApiPrefix}/translations/retranslate", Retranslate);
        endpoints.MapGet($"{ApiPipeline.ApiPrefix}/translations/status", Status);
        return endpoints;
    }

    public sealed record Request(IReadOnlyList<string> Statuses, IReadOnlyList<Avid>? Avids, bool DryRun, bool Force, int Limit);

    /// <summary>Strict reading of the body: unknown fields, wrong types, unknown statuses and bad AVIDs are errors.</summary>
    public static Request? Read(JsonElement body, out string? error)
    {
        error = null;
        foreach (var p in body.EnumerateObject())
            if (!Fields.Contains(p.Name)) { error = $"未知参数 {p.Name} (允许: status, avids, dry_run, force, limit)"; return null; }

        if (!JsonFields.TryBool(body, "dry_run", false, out var dryRun, out error)) return null;
        if (!JsonFields.TryBool(body, "force", false, out var force, out error)) return null;
        if (!JsonFields.TryInt(body, "limit", DefaultLimit, out var limit, out error)) return null;
        if (limit is < 1 or > MaxLimit) { error = $"limit 必须在 1 到 {MaxLimit} 之间"; return null; }

        List<string>? statuses = null;
        if (!JsonFields.IsAbsent(body, "status"))
        {
            if (!TryStrings(body.GetProperty("status"), "status", out statuses, out error)) return null;
            if (statuses.Count == 0) { error = "status 不能为空数组"; return null; }
            foreach (var s in statuses)
                if (!TranslationStatuses.All.Contains(s)) { error = $"status {s} 无效 (允许: {string.Join(", ", TranslationStatuses.All)})"; return null; }
        }

        List<Avid>? avids = null;
        if (!JsonFields.IsAbsent(body, "avids"))
        {
            if (!TryStrings(body.GetProperty("avids"), "avids", out var raw, out error)) return null;
            if (raw.Count == 0) { error = "avids 不能为空数组"; return null; }
            if (raw.Count > MaxLimit) { error = $"avids 最多 {MaxLimit} 个"; return null; }
            avids = [];
            foreach (var r in raw)
            {
                if (!Avid.TryParse(r, out var avid, out var message)) { error = message; return null; }
                if (!avids.Contains(avid)) avids.Add(avid);
            }
        }

        // Nothing chosen: what still needs a translation. AVIDs alone: whatever their status.
        var chosen = statuses?.Distinct().ToList() ?? (avids is null ? [.. DefaultStatuses] : [.. TranslationStatuses.All]);
        return new Request(chosen, avids, dryRun, force, limit);
    }

    private static bool TryStrings(JsonElement element, string name, out List<string> values, out string? error)
    {
        values = [];
        error = null;
        if (element.ValueKind != JsonValueKind.Array) { error = $"{name} 参数必须是字符串数组"; return false; }
        foreach (var e in element.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.String) { error = $"{name} 参数必须是字符串数组"; return false; }
            values.Add(e.GetString()!);
        }
        return true;
    }

    private static async Task<IResult> Retranslate(HttpRequest request, CatalogDbContext db, IServiceScopeFactory scopes,
        IOptions<LifecycleOptions> options, ILoggerFactory loggers, CancellationToken ct)
    {
        var body = await JsonBody.ReadObjectAsync(request, ct);
        if (!body.Ok) return body.Error!;
        var r = Read(body.Value, out var error);
        if (r is null) return ApiResults.Error(400, error!);
        if (!r.DryRun && !options.Value.TranslatorEnabled)
            return ApiResults.Error(503, "翻译服务未启用 (Translator:Enabled=false): 无法重新翻译；dry_run 仍可使用");

        var query = db.Resources.AsNoTracking().Where(x => r.Statuses.Contains(x.TranslationStatus));
        List<string>? wanted = null;
        if (r.Avids is not null)
        {
            wanted = r.Avids.Select(a => a.Value).ToList();
            query = query.Where(x => wanted.Contains(x.Avid));
        }
        var selected = await query.OrderBy(x => x.Avid).Take(r.Limit)
            .Select(x => new { x.Avid, x.TranslationStatus }).ToListAsync(ct);

        var items = new List<Dictionary<string, object?>>();
        if (wanted is not null)
        {
            // Asked-for AVIDs the selection left out: unknown, or not in the asked statuses.
            var known = await db.Resources.AsNoTracking().Where(x => wanted.Contains(x.Avid))
                .Select(x => new { x.Avid, x.TranslationStatus }).ToDictionaryAsync(x => x.Avid, x => x.TranslationStatus, ct);
            var picked = selected.Select(x => x.Avid).ToHashSet();
            foreach (var avid in wanted.Where(a => !picked.Contains(a)))
                items.Add(Item(avid, known.TryGetValue(avid, out var st) ? "not_selected" : ItemStatus.NotFound, known.GetValueOrDefault(avid)));
        }

        if (r.DryRun)
        {
            var dry = selected.Select(x => Item(x.Avid, ItemStatus.Selected, x.TranslationStatus)).Concat(items).ToList();
            return ApiResults.Ok(new { selected = selected.Count, queued = 0, skipped = dry.Count - selected.Count, dry_run = true, items = dry });
        }

        var results = new Dictionary<string, object?>[selected.Count];
        var logger = loggers.CreateLogger(typeof(TranslationEndpoints));
        await Parallel.ForEachAsync(Enumerable.Range(0, selected.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.BatchConcurrency, CancellationToken = ct },
            async (i, token) =>
            {
                var x = selected[i];
                results[i] = await BatchItems.RunAsync(x.Avid, async () =>
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var lifecycle = scope.ServiceProvider.GetRequiredService<LifecycleClient>();
                    var outcome = await lifecycle.RefreshAsync(Avid.Parse(x.Avid), m3u8: false, metadata: false, retranslate: true, token, force: r.Force);
                    var status = outcome.Answer switch
                    {
                        LifecycleAnswer.Done when outcome.TranslationQueued => ItemStatus.Queued,
                        LifecycleAnswer.Done => ItemStatus.NoTitle,
                        LifecycleAnswer.StillRunning => ItemStatus.Submitted,
                        LifecycleAnswer.Busy => ItemStatus.Busy,
                        LifecycleAnswer.NotFound => ItemStatus.NotFound,
                        _ => ItemStatus.Error,
                    };
                    var item = Item(x.Avid, status, x.TranslationStatus);
                    if (status is not ItemStatus.Queued and not ItemStatus.Submitted && outcome.Message is { } message) item["message"] = message;
                    return item;
                }, (_, message) =>
                {
                    var item = Item(x.Avid, ItemStatus.Error, x.TranslationStatus);
                    item["message"] = message;
                    return item;
                }, logger, token);
            });
        var all = results.Concat(items).ToList();
        var queued = results.Count(x => (string?)x["status"] is ItemStatus.Queued or ItemStatus.Submitted);
        return ApiResults.Envelope(202, $"已提交 {queued} 个重新翻译", new { selected = selected.Count, queued, skipped = all.Count - queued, dry_run = false, items = all });
    }

    private static Dictionary<string, object?> Item(string avid, string status, string? translationStatus) =>
        new() { ["avid"] = avid, ["status"] = status, ["translation_status"] = translationStatus };

    /// <summary>Counts per translation_status (all five, zeros included), optionally for the given AVIDs only.</summary>
    private static async Task<IResult> Status(HttpRequest request, CatalogDbContext db, IOptions<LifecycleOptions> options, CancellationToken ct)
    {
        var query = db.Resources.AsNoTracking();
        var raw = request.Query["avid"];
        if (raw.Count > 0)
        {
            if (raw.Count > MaxStatusAvids) return ApiResults.Error(400, $"avid 最多 {MaxStatusAvids} 个");
            var avids = new List<string>();
            foreach (var a in raw)
            {
                if (!AvidInput.TryParse(a, out var avid, out var bad)) return bad!;
                avids.Add(avid.Value);
            }
            query = query.Where(x => avids.Contains(x.Avid));
        }
        var counts = await query.GroupBy(x => x.TranslationStatus).Select(g => new { Status = g.Key, Count = g.Count() }).ToListAsync(ct);
        var data = new Dictionary<string, object?>();
        foreach (var s in TranslationStatuses.All) data[s] = counts.Where(c => c.Status == s).Sum(c => c.Count);
        data["total"] = counts.Sum(c => c.Count);
        data["translator_enabled"] = options.Value.TranslatorEnabled;
        return ApiResults.Ok(data);
    }
}
