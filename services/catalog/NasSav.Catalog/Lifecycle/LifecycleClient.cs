using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
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
/// Asks the lifecycle saga to add or refresh an AVID and waits (bounded) for its answer. The request is written to
/// the catalog's outbox before the wait starts: once a call gets past the send, the saga gets the request even if the
/// broker is down right now, so a 202 ("still running") is never an add that was lost on the way.
/// </summary>
public sealed class LifecycleClient(
    DurableRequests<CatalogDbContext> requests,
    IOptions<LifecycleOptions> options,
    ILogger<LifecycleClient> logger)
{

    public async Task<LifecycleOutcome> AddAsync(Avid avid, string source, CancellationToken ct)
    {
        var request = new AddResource { CorrelationId = avid.CorrelationId, Avid = avid.Value, Source = source };
        try
        {
            // No time to live: a timeout answers 202 ("still running"), so the request must reach the saga however late.
            var r = await requests.GetResponseAsync<AddResource, ResourceAddResult>(request, options.Value.AddWait, ct);
            return r.Outcome switch
            {
                ResourceAddResult.Created => new LifecycleOutcome(LifecycleAnswer.Done, 201, r.Message, r.CoverSaved, r.MetadataScraped),
                ResourceAddResult.Exists => new LifecycleOutcome(LifecycleAnswer.Exists, 409, r.Message),
                _ => new LifecycleOutcome(LifecycleAnswer.Failed, r.Code ?? 502, r.Message ?? $"获取{avid}失败"),
            };
        }
        catch (RequestTimeoutException)
        {
            return new LifecycleOutcome(LifecycleAnswer.StillRunning, 202, $"资源 {avid} 正在处理中");
        }
        catch (RequestFaultException ex)
        {
            logger.LogError(ex, "The lifecycle saga faulted on adding {Avid}", avid);
            return new LifecycleOutcome(LifecycleAnswer.Error, 500, $"服务器内部错误: {FaultMessage(ex)}");
        }
        catch (Exception ex) when (TransientErrors.IsTransient(ex))
        {
            logger.LogWarning(ex, "Could not send the add of {Avid}: the database is unavailable", avid);
            return Unavailable;
        }
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
        try
        {
            var r = await requests.GetResponseAsync<RefreshResource, ResourceRefreshResult>(request, options.Value.RefreshWait, ct);
            return r.Outcome switch
            {
                ResourceRefreshResult.Refreshed => new LifecycleOutcome(LifecycleAnswer.Done, 200, r.Message,
                    r.CoverSaved, r.MetadataRefreshed, r.M3u8Refreshed, r.TranslationQueued),
                ResourceRefreshResult.Busy => new LifecycleOutcome(LifecycleAnswer.Busy, 409, $"资源 {avid} 正在处理中"),
                ResourceRefreshResult.NotFound => new LifecycleOutcome(LifecycleAnswer.NotFound, 404, r.Message ?? $"获取{avid}失败。database:404"),
                _ => new LifecycleOutcome(LifecycleAnswer.Failed, r.Code ?? 502, r.Message ?? $"刷新 {avid} 失败"),
            };
        }
        catch (RequestTimeoutException)
        {
            return new LifecycleOutcome(LifecycleAnswer.StillRunning, 202, $"资源 {avid} 正在刷新");
        }
        catch (RequestFaultException ex)
        {
            logger.LogError(ex, "The lifecycle saga faulted on refreshing {Avid}", avid);
            return new LifecycleOutcome(LifecycleAnswer.Error, 500, $"服务器内部错误: {FaultMessage(ex)}");
        }
        catch (Exception ex) when (TransientErrors.IsTransient(ex))
        {
            logger.LogWarning(ex, "Could not send the refresh of {Avid}: the database is unavailable", avid);
            return Unavailable;
        }
    }

    private static readonly LifecycleOutcome Unavailable = new(LifecycleAnswer.Error, 503, ApiPipeline.Unavailable);

    private static string FaultMessage(RequestFaultException ex) =>
        ex.Fault?.Exceptions is { Length: > 0 } e ? e[0].Message : ex.Message;
}
