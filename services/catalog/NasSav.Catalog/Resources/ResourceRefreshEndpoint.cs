using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using NasSav.Catalog.Data;
using NasSav.Catalog.Http;
using NasSav.Catalog.Lifecycle;
using NasSav.ServiceDefaults.Http;

namespace NasSav.Catalog.Resources;

/// <summary>
/// POST /resource/refresh/{avid} {refresh_m3u8?, refresh_metadata?, retranslate?}: the lifecycle saga re-runs
/// the asked steps and this waits up to Lifecycle:RefreshWaitSeconds. Source errors keep their 403/404/502
/// (the peer turned 403/502 into 500); another step of the AVID running is 409. A refresh that can do nothing
/// (only retranslate, with the translator off or no title) is an error, not a 200; the answer always says
/// whether translation is on (translation_enabled).
/// </summary>
public static class ResourceRefreshEndpoint
{
    public static IEndpointRouteBuilder MapResourceRefresh(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost($"{ApiPipeline.ApiPrefix}/resource/refresh/{{avid}}", Refresh);
        return endpoints;
    }

    public const string TranslatorOff = "翻译服务未启用 (Translator:Enabled=false)";

    private static async Task<IResult> Refresh(string avid, HttpRequest request, CatalogDbContext db, LifecycleClient lifecycle,
        IOptions<LifecycleOptions> options, CancellationToken ct)
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
        if (flags.NeedsSource && string.IsNullOrEmpty(resource.Source)) return ApiResults.Error(404, $"获取{id}失败。{id} 没有 source 信息");
        var translatorEnabled = options.Value.TranslatorEnabled;
        // The 翻译 preset alone with no translator: nothing would happen, so it is no success (the UI showed 刷新成功).
        if (flags.Retranslate && !flags.NeedsSource && !translatorEnabled)
            return ApiResults.Error(503, $"{TranslatorOff}: 标题未重新翻译", new Dictionary<string, object?>
            {
                ["resource"] = ResourceObject.From(resource),
                ["translation_enabled"] = false,
                ["translation_error"] = TranslatorOff,
            });

        var outcome = await lifecycle.RefreshAsync(id, flags.RefreshM3u8, flags.RefreshMetadata, flags.Retranslate, ct);
        db.ChangeTracker.Clear();
        var current = await db.FindWithLinksAsync(id, ct);
        var shape = current is null ? null : ResourceObject.From(current);
        if (outcome.Answer == LifecycleAnswer.Done)
        {
            var data = Data(flags, outcome, shape);
            data["translation_enabled"] = translatorEnabled;
            // Only a retranslation was asked and none was queued (no title to translate): nothing was done.
            if (flags.Retranslate && !flags.NeedsSource && !outcome.TranslationQueued)
                return ApiResults.Error(422, $"{id} 未重新翻译: {data["translation_error"]}", data);
            var answer = flags.Retranslate && !translatorEnabled ? $"刷新完成，但{TranslatorOff}: 标题未重新翻译" : "success";
            return ApiResults.Ok(data, answer);
        }
        return outcome.Answer switch
        {
            LifecycleAnswer.StillRunning => ApiResults.Envelope(202, outcome.Message!, new { resource = shape }),
            LifecycleAnswer.Busy => ApiResults.Error(409, outcome.Message!, new { resource = shape }),
            _ => ApiResults.Error(outcome.Code, outcome.Message ?? $"刷新 {id} 失败"),
        };
    }

    /// <summary>The reference's 200 data: refresh fields only when a source or metadata step ran; translation_queued or translation_error.</summary>
    internal static Dictionary<string, object?> Data(RefreshFlags flags, LifecycleOutcome outcome, ResourceObject? resource, bool batch = false)
    {
        var data = new Dictionary<string, object?> { ["resource"] = resource };
        if (flags.NeedsSource)
        {
            data[batch ? "cover_saved" : "cover_downloaded"] = outcome.CoverSaved;
            data["metadata_saved"] = true;
            data["scraped"] = outcome.Scraped;
            data["metadata_refreshed"] = outcome.Scraped;
            data["m3u8_refreshed"] = outcome.M3u8Refreshed;
            if (!batch) data["m3u8_updated"] = outcome.M3u8Refreshed;
        }
        if (outcome.TranslationQueued) data["translation_queued"] = true;
        else if (flags.Retranslate) data["translation_error"] = outcome.Message ?? "翻译未能排队";
        return data;
    }
}
