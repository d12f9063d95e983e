using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NasSav.Contracts.Downloads;
using NasSav.Contracts.Lifecycle;
using NasSav.Catalog.Data;
using NasSav.Media.Avids;
using NasSav.ServiceDefaults.Bus;
using NasSav.ServiceDefaults.Http;
using NasSav.Sagas.Outbox;

namespace NasSav.Catalog.Lifecycle;

/// <summary>What an add or refresh request came back with, for the HTTP endpoints to shape.</summary>
public enum LifecycleAnswer
{
    /// <summary>Add: the metadata step is done (with or without metadata). Refresh: the asked steps are done.</summary>
    Done,
    /// <summary>Add: the AVID is known or already being processed.</summary>
    Exists,
    /// <summary>Refresh: another step of this AVID is running.</summary>
    Busy,
    NotFound,
    /// <summary>The source (or a step) failed: <see cref="LifecycleOutcome.Code"/> is 403/404/502/504.</summary>
    Failed,
    /// <summary>Still running when the wait ended: the caller answers 202.</summary>
    StillRunning,
    /// <summary>The saga faulted (500), or the request could not be stored (503, the database is down).</summary>
    Error,
}

public sealed record LifecycleOutcome(LifecycleAnswer Answer, int Code, string? Message,
    bool CoverSaved = false, bool Scraped = false, bool M3u8Refreshed = false, bool TranslationQueued = false);

/// <summary>
/// The one client of the lifecycle saga: add, refresh, submit or stop a download, each a request written to the
/// catalog's outbox before the wait starts (once a call gets past the send, the saga gets it even if the broker is down
/// right now, so a 202 "still running" is never an add that was lost on the way). <see cref="AskAsync{TRequest,TAnswer}"/>
/// turns the ways a request can end without an answer into one <see cref="Reply{T}"/>; each operation says what they
/// mean for it.
/// </summary>
public sealed class LifecycleClient(
    DurableRequests<CatalogDbContext> requests,
    IOptions<LifecycleOptions> options,
    ILogger<LifecycleClient> logger)
{
    /// <summary>Downloads are answered at once (no step to wait for); their requests expire with the wait.</summary>
    private static readonly TimeSpan DownloadWait = TimeSpan.FromSeconds(30);

    public async Task<LifecycleOutcome> AddAsync(Avid avid, string source, CancellationToken ct)
    {
        // No time to live: a timeout answers 202 ("still running"), so the request must reach the saga however late.
        var reply = await AskAsync<AddResource, ResourceAddResult>(
            new AddResource { CorrelationId = avid.CorrelationId, Avid = avid.Value, Source = source }, avid, "add", options.Value.AddWait, null, ct);
        return reply switch
        {
            { Answer: { } r } => r.Outcome switch
            {
                ResourceAddResult.Created => new LifecycleOutcome(LifecycleAnswer.Done, 201, r.Message, r.CoverSaved, r.MetadataScraped),
                ResourceAddResult.Exists => new LifecycleOutcome(LifecycleAnswer.Exists, 409, r.Message),
                _ => new LifecycleOutcome(LifecycleAnswer.Failed, r.Code ?? 502, r.Message ?? $"获取{avid}失败"),
            },
            { Ended: RequestEnd.TimedOut } => new LifecycleOutcome(LifecycleAnswer.StillRunning, 202, $"资源 {avid} 正在处理中"),
            _ => new LifecycleOutcome(LifecycleAnswer.Error, reply.Code, reply.Message),
        };
    }

    /// <param name="force">With <paramref name="retranslate"/>: bypass the translator's cache. The UI's refresh
    /// (one title, an explicit click) forces; POST /translations/retranslate forces only when asked.</param>
    public async Task<LifecycleOutcome> RefreshAsync(Avid avid, bool m3u8, bool metadata, bool retranslate, CancellationToken ct, bool? force = null)
    {
        var request = new RefreshResource
        {
            CorrelationId = avid.CorrelationId, Avid = avid.Value, RefreshM3u8 = m3u8, RefreshMetadata = metadata, Retranslate = retranslate,
            Force = force ?? retranslate,
        };
        var reply = await AskAsync<RefreshResource, ResourceRefreshResult>(request, avid, "refresh", options.Value.RefreshWait, null, ct);
        return reply switch
        {
            { Answer: { } r } => r.Outcome switch
            {
                ResourceRefreshResult.Refreshed => new LifecycleOutcome(LifecycleAnswer.Done, 200, r.Message,
                    r.CoverSaved, r.MetadataRefreshed, r.M3u8Refreshed, r.TranslationQueued),
                ResourceRefreshResult.Busy => new LifecycleOutcome(LifecycleAnswer.Busy, 409, $"资源 {avid} 正在处理中"),
                ResourceRefreshResult.NotFound => new LifecycleOutcome(LifecycleAnswer.NotFound, 404, r.Message ?? $"获取{avid}失败。database:404"),
                _ => new LifecycleOutcome(LifecycleAnswer.Failed, r.Code ?? 502, r.Message ?? $"刷新 {avid} 失败"),
            },
            { Ended: RequestEnd.TimedOut } => new LifecycleOutcome(LifecycleAnswer.StillRunning, 202, $"资源 {avid} 正在刷新"),
            _ => new LifecycleOutcome(LifecycleAnswer.Error, reply.Code, reply.Message),
        };
    }

    /// <summary>Queue (or simulate) the AVID's download. A timeout is 504: the stored request expires unsent, so a late submit never enqueues a download nobody waits for.</summary>
    public async Task<DownloadSubmitResult> SubmitDownloadAsync(Avid avid, bool mock, int mockSeconds, CancellationToken ct)
    {
        var reply = await AskAsync<SubmitDownload, DownloadSubmitResult>(
            new SubmitDownload { CorrelationId = avid.CorrelationId, Avid = avid.Value, Mock = mock, MockDurationSeconds = mockSeconds },
            avid, "download submit", DownloadWait, DownloadWait, ct);
        return reply.Answer ?? new DownloadSubmitResult
        {
            CorrelationId = avid.CorrelationId, Avid = avid.Value, Code = reply.Code,
            Message = reply.Ended == RequestEnd.TimedOut ? $"提交 {avid} 的下载任务超时" : reply.Message!,
        };
    }

    public async Task<DownloadStopResult> StopDownloadAsync(Avid avid, string reason, CancellationToken ct)
    {
        var reply = await AskAsync<StopDownload, DownloadStopResult>(
            new StopDownload { CorrelationId = avid.CorrelationId, Avid = avid.Value, Reason = reason }, avid, "download cancel", DownloadWait, DownloadWait, ct);
        return reply.Answer ?? new DownloadStopResult
        {
            CorrelationId = avid.CorrelationId, Avid = avid.Value, Code = reply.Code,
            Message = reply.Ended == RequestEnd.TimedOut ? $"取消 {avid} 的下载任务超时" : reply.Message!,
        };
    }

    private enum RequestEnd { Answered, TimedOut, Faulted, Unavailable }

    /// <summary>The saga's answer, or how the request ended without one (504 timed out, 500 the saga faulted, 503 the database is down).</summary>
    private sealed record Reply<T>(T? Answer, RequestEnd Ended, int Code, string? Message) where T : class;

    private async Task<Reply<TAnswer>> AskAsync<TRequest, TAnswer>(TRequest request, Avid avid, string what, TimeSpan wait, TimeSpan? timeToLive,
        CancellationToken ct) where TRequest : class where TAnswer : class
    {
        try
        {
            return new(await requests.GetResponseAsync<TRequest, TAnswer>(request, wait, ct, timeToLive: timeToLive), RequestEnd.Answered, 0, null);
        }
        catch (RequestTimeoutException)
        {
            return new(null, RequestEnd.TimedOut, 504, null);
        }
        catch (RequestFaultException ex)
        {
            logger.LogError(ex, "The lifecycle saga faulted on the {What} of {Avid}", what, avid);
            var message = ex.Fault?.Exceptions is { Length: > 0 } e ? e[0].Message : ex.Message;
            return new(null, RequestEnd.Faulted, 500, $"服务器内部错误: {message}");
        }
        catch (Exception ex) when (TransientErrors.IsTransient(ex))
        {
            logger.LogWarning(ex, "Could not send the {What} of {Avid}: the database is unavailable", what, avid);
            return new(null, RequestEnd.Unavailable, 503, ApiPipeline.Unavailable);
        }
    }
}
