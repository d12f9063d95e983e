using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NasSav.Catalog.Data;
using NasSav.Catalog.Http;
using NasSav.Catalog.Resources;
using NasSav.ServiceDefaults.Avids;
using NasSav.ServiceDefaults.Configuration;
using NasSav.ServiceDefaults.Http;

namespace NasSav.Catalog.Downloads;

/// <summary>
/// /downloads/...: deleting a video works now; submitting one validates fully and answers 503 until the
/// downloader exists. (/downloads/abspath is the media endpoints' work.)
/// </summary>
public static class DownloadEndpoints
{
    /// <summary>The most AVIDs one batch may carry (the UI's timeout grows 2 s per AVID).</summary>
    public const int MaxBatch = 500;

    public static IServiceCollection AddDownloads(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<DownloadOptions>(configuration, DownloadOptions.Section);
        return services;
    }

    public static IEndpointRouteBuilder MapDownloadEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var prefix = $"{ApiPipeline.ApiPrefix}/downloads";
        endpoints.MapPost($"{prefix}/batch_submit", BatchSubmit);
        endpoints.MapPost($"{prefix}/mock/{{avid}}", Mock);
        endpoints.MapPost($"{prefix}/{{avid:{ReservedWordConstraint.Name}}}", Submit);
        endpoints.MapDelete($"{prefix}/{{avid:{ReservedWordConstraint.Name}}}", DeleteVideo);
        return endpoints;
    }

    private static async Task<IResult> Submit(string avid, CatalogDbContext db, CancellationToken ct)
    {
        if (!AvidInput.TryParse(avid, out var id, out var error)) return error!;
        var check = await CheckSubmittableAsync(id, db, ct);
        if (check is not null) return ApiResults.Error(check.Value.Code, check.Value.Message, check.Value.Data);
        return Unavailable.Because("下载", Unavailable.DownloaderMessage);
    }

    /// <summary>The checks every submit makes (the peer's batch skipped them): the row exists and has no video yet.</summary>
    private static async Task<(int Code, string Message, object? Data)?> CheckSubmittableAsync(Avid avid, CatalogDbContext db, CancellationToken ct)
    {
        var resource = await db.FindAsync(avid, ct);
        if (resource is null) return (404, $"{avid} 的元数据不存在，请先调用 /api/resource/new 添加资源", null);
        if (resource.FileExists)
            return (409, "视频已下载", new { avid = resource.Avid, task_id = (string?)null, status = "completed", file_size = resource.FileSize });
        return null;
    }

    private static async Task<IResult> BatchSubmit(HttpRequest request, CatalogDbContext db, CancellationToken ct)
    {
        var body = await JsonBody.ReadObjectAsync(request, ct);
        if (!body.Ok) return body.Error!;
        if (!body.Value.TryGetProperty("avids", out var avids) || avids.ValueKind != JsonValueKind.Array)
            return ApiResults.Error(400, "avids 参数必须是数组");
        if (avids.GetArrayLength() > MaxBatch) return ApiResults.Error(400, $"avids 最多 {MaxBatch} 个");

        var results = new List<object>();
        foreach (var item in avids.EnumerateArray())
        {
            var raw = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
            if (!Avid.TryParse(raw, out var id, out var message))
            {
                results.Add(new { avid = raw, code = 400, message, task_id = (string?)null });
                continue;
            }
            var check = await CheckSubmittableAsync(id, db, ct);
            results.Add(check is { } c
                ? new { avid = id.Value, code = c.Code, message = c.Message, task_id = (string?)null }
                : new { avid = id.Value, code = 503, message = $"下载暂不可用: {Unavailable.DownloaderMessage}", task_id = (string?)null });
        }
        return ApiResults.Ok(new { results });
    }

    private static async Task<IResult> DeleteVideo(string avid, CatalogDbContext db, ResourceFiles files, CancellationToken ct)
    {
        if (!AvidInput.TryParse(avid, out var id, out var error)) return error!;
        var outcome = await VideoRemoval.DeleteAsync(id, db, files, ct);
        if (outcome.Deleted)
            return ApiResults.Ok(new { avid = id.Value, deleted_file = id.Value + ".mp4", file_size = outcome.FileSize });
        if (outcome.Reconciled)
            return ApiResults.Ok(new { avid = id.Value, deleted_file = (string?)null, file_size = (long?)null }, "视频文件已不存在，记录已更新");
        return ApiResults.Error(404, $"视频 {id} 不存在");
    }

    private static async Task<IResult> Mock(string avid, HttpRequest request, CatalogDbContext db, IOptions<DownloadOptions> options, CancellationToken ct)
    {
        // HTTP 403 for real (the peer sent code 403 with HTTP 200).
        if (!options.Value.EnableMock) return ApiResults.Error(403, "此接口仅在 DEBUG 模式下可用");
        if (!AvidInput.TryParse(avid, out var id, out var error)) return error!;
        var body = await JsonBody.ReadObjectAsync(request, ct);
        if (!body.Ok) return body.Error!;
        if (!JsonFields.TryInt(body.Value, "duration", 30, out var duration, out var message)) return ApiResults.Error(400, message);
        if (duration is < 1 or > 300) return ApiResults.Error(400, "持续时间必须在 1-300 秒之间");
        if (await db.FindAsync(id, ct) is null) return ApiResults.Error(404, $"{id} 的元数据不存在");
        return Unavailable.Because("模拟下载", Unavailable.DownloaderMessage);
    }
}
