using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NasSav.Catalog.Data;
using NasSav.Catalog.Http;
using NasSav.Catalog.Lifecycle;
using NasSav.Catalog.Resources;
using NasSav.Contracts.Downloads;
using NasSav.Media.Avids;
using NasSav.ServiceDefaults.Configuration;
using NasSav.ServiceDefaults.Http;
using NasSav.Sagas.Outbox;

namespace NasSav.Catalog.Downloads;

/// <summary>
/// /downloads/...: submit (one or a batch), mock, cancel, delete the video. Every submit is decided by the
/// lifecycle saga (row, video, m3u8, "already queued or running"); these endpoints only shape its answer.
/// (/downloads/abspath is the media endpoints' work.)
/// </summary>
public static class DownloadEndpoints
{
    /// <summary>The most AVIDs one batch may carry (the UI's timeout grows 2 s per AVID).</summary>
    public const int MaxBatch = 500;

    public static IServiceCollection AddDownloads(this IServiceCollection services, IConfiguration configuration)
    {
        // The user agent becomes a request header of every download.
        services.AddValidatedOptions<DownloadOptions>(configuration, DownloadOptions.Section, o =>
            [o.UserAgent.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0 ? "UserAgent must not contain CR, LF or NUL" : null]);
        return services;
    }

    public static IEndpointRouteBuilder MapDownloadEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var prefix = $"{ApiPipeline.ApiPrefix}/downloads";
        endpoints.MapPost($"{prefix}/batch_submit", BatchSubmit);
        endpoints.MapPost($"{prefix}/mock/{{avid}}", Mock);
        endpoints.MapPost($"{prefix}/{{avid:{ReservedWordConstraint.Name}}}/cancel", Cancel);
        endpoints.MapPost($"{prefix}/{{avid:{ReservedWordConstraint.Name}}}", Submit);
        endpoints.MapDelete($"{prefix}/{{avid:{ReservedWordConstraint.Name}}}", DeleteVideo);
        return endpoints;
    }

    private static async Task<IResult> Submit(string avid, LifecycleClient lifecycle, CancellationToken ct)
    {
        if (!AvidInput.TryParse(avid, out var id, out var error)) return error!;
        var result = await lifecycle.SubmitDownloadAsync(id, mock: false, mockSeconds: 0, ct);
        return result.Code switch
        {
            202 => ApiResults.Envelope(202, result.Message, new { avid = id.Value, task_id = result.TaskId, status = "pending", file_size = (long?)null }),
            409 when result.AlreadyDownloaded => ApiResults.Error(409, result.Message,
                new { avid = id.Value, task_id = (string?)null, status = "completed", file_size = result.FileSize }),
            _ => ApiResults.Error(result.Code, result.Message),
        };
    }

    private static async Task<IResult> BatchSubmit(HttpRequest request, LifecycleClient lifecycle, IOptions<LifecycleOptions> options,
        ILoggerFactory loggers, CancellationToken ct)
    {
        var body = await JsonBody.ReadObjectAsync(request, ct);
        if (!body.Ok) return body.Error!;
        if (!body.Value.TryGetProperty("avids", out var avids) || avids.ValueKind != JsonValueKind.Array)
            return ApiResults.Error(400, "avids 参数必须是数组");
        if (avids.GetArrayLength() > MaxBatch) return ApiResults.Error(400, $"avids 最多 {MaxBatch} 个");

        var items = avids.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.String ? item.GetString() : null).ToList();
        var results = new object[items.Count];
        var logger = loggers.CreateLogger(typeof(DownloadEndpoints));
        // Each item is one request to the saga; a few at a time, answers kept in the request's order. The same
        // AVID twice is decided by the saga like two separate submits: one 202, one 409.
        using var gate = new SemaphoreSlim(Math.Max(1, options.Value.BatchConcurrency));
        await Task.WhenAll(items.Select(async (raw, index) =>
        {
            if (!Avid.TryParse(raw, out var id, out var message))
            {
                results[index] = new { avid = raw, code = 400, message, task_id = (string?)null };
                return;
            }
            await gate.WaitAsync(ct);
            try
            {
                results[index] = await BatchItems.RunAsync<object>(id.Value, async () =>
                    {
                        var r = await lifecycle.SubmitDownloadAsync(id, mock: false, mockSeconds: 0, ct);
                        return new { avid = id.Value, code = r.Code, message = r.Code == 202 ? "submitted" : r.Message, task_id = r.Code == 202 ? r.TaskId : null };
                    },
                    (code, message) => new { avid = id.Value, code, message, task_id = (string?)null }, logger, ct);
            }
            finally
            {
                gate.Release();
            }
        }));
        return ApiResults.Ok(new { results });
    }

    /// <summary>Our addition: POST /downloads/{avid}/cancel ends the queued or running download (200), 404 when there is none.</summary>
    private static async Task<IResult> Cancel(string avid, LifecycleClient lifecycle, CancellationToken ct)
    {
        if (!AvidInput.TryParse(avid, out var id, out var error)) return error!;
        var result = await lifecycle.StopDownloadAsync(id, "cancelled by user", ct);
        return result.Code == 200
            ? ApiResults.Ok(new { avid = id.Value, task_id = result.TaskId, status = "cancelled" }, result.Message)
            : ApiResults.Error(result.Code, result.Message);
    }

    /// <summary>A running download of the AVID is cancelled first, so it cannot put the file back afterwards.</summary>
    private static async Task<IResult> DeleteVideo(string avid, CatalogDbContext db, ResourceFiles files, LifecycleClient lifecycle, TransactionalOutbox<CatalogDbContext> outbox, CancellationToken ct)
    {
        if (!AvidInput.TryParse(avid, out var id, out var error)) return error!;
        var stopped = await lifecycle.StopDownloadAsync(id, "video deleted", ct);
        if (stopped.Code is not (200 or 404)) return ApiResults.Error(stopped.Code, stopped.Message);
        var outcome = await VideoRemoval.DeleteAsync(id, db, files, outbox, ct);
        if (outcome.Deleted)
            return ApiResults.Ok(new { avid = id.Value, deleted_file = id.Value + ".mp4", file_size = outcome.FileSize });
        if (outcome.Reconciled)
            return ApiResults.Ok(new { avid = id.Value, deleted_file = (string?)null, file_size = (long?)null }, "视频文件已不存在，记录已更新");
        return ApiResults.Error(404, $"视频 {id} 不存在");
    }

    private static async Task<IResult> Mock(string avid, HttpRequest request, LifecycleClient lifecycle, IOptions<DownloadOptions> options, CancellationToken ct)
    {
        // HTTP 403 for real (the peer sent code 403 with HTTP 200).
        if (!options.Value.EnableMock) return ApiResults.Error(403, "此接口仅在 DEBUG 模式下可用");
        if (!AvidInput.TryParse(avid, out var id, out var error)) return error!;
        var body = await JsonBody.ReadObjectAsync(request, ct);
        if (!body.Ok) return body.Error!;
        if (!JsonFields.TryInt(body.Value, "duration", 30, out var duration, out var message)) return ApiResults.Error(400, message);
        if (duration is < 1 or > 300) return ApiResults.Error(400, "持续时间必须在 1-300 秒之间");
        var result = await lifecycle.SubmitDownloadAsync(id, mock: true, duration, ct);
        return result.Code == 202
            ? ApiResults.Envelope(202, result.Message, new { avid = id.Value, task_id = result.TaskId, status = "pending", duration, mock = true })
            : ApiResults.Error(result.Code, result.Message);
    }
}
