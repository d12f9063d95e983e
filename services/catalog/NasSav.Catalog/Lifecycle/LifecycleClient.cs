using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NasSav.Contracts.Lifecycle;
using NasSav.ServiceDefaults.Avids;

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
    /// <summary>The saga faulted (e.g. the database is down): 500.</summary>
    Error,
}

public sealed record LifecycleOutcome(LifecycleAnswer Answer, int Code, string? Message,
    bool CoverSaved = false, bool Scraped = false, bool M3u8Refreshed = false, bool TranslationQueued = false);

/// <summary>Asks the lifecycle saga to add or refresh an AVID and waits (bounded) for its answer.</summary>
public sealed class LifecycleClient(
    IRequestClient<AddResource> adds,
    IRequestClient<RefreshResource> refreshes,
    IOptions<LifecycleOptions> options,
    ILogger<LifecycleClient> logger)
{
    /// <summary>
    /// A request client gives its message a time to live equal to the wait by default. Here a timeout answers 202
    /// ("still running"), so the request must reach the saga however late: it carries no time to live. Cleared on the
    /// send context: MassTransit 8.5 throws on <c>TimeToLive = RequestTimeout.None</c> (it reads the empty value).
    /// </summary>
    private static void KeepUntilConsumed<T>(IRequestPipeConfigurator<T> request) where T : class =>
        request.UseExecute(context => context.TimeToLive = null);

    public async Task<LifecycleOutcome> AddAsync(Avid avid, string source, CancellationToken ct)
    {
        var request = new AddResource { CorrelationId = avid.CorrelationId, Avid = avid.Value, Source = source };
        try
        {
            var response = await adds.GetResponse<ResourceAddResult>(request, KeepUntilConsumed, ct, Timeout(options.Value.AddWait));
            var r = response.Message;
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
            var response = await refreshes.GetResponse<ResourceRefreshResult>(request, KeepUntilConsumed, ct, Timeout(options.Value.RefreshWait));
            var r = response.Message;
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
    }

    private static RequestTimeout Timeout(TimeSpan wait) => RequestTimeout.After(ms: (int)Math.Max(1, wait.TotalMilliseconds));

    private static string FaultMessage(RequestFaultException ex) =>
        ex.Fault?.Exceptions is { Length: > 0 } e ? e[0].Message : ex.Message;
}
