using MassTransit;
using Microsoft.Extensions.Logging;
using NasSav.Contracts.Downloads;
using NasSav.Catalog.Data;
using NasSav.Media.Avids;
using NasSav.ServiceDefaults.Bus;
using NasSav.ServiceDefaults.Http;
using NasSav.Sagas.Outbox;

namespace NasSav.Catalog.Downloads;

/// <summary>
/// Asks the lifecycle saga to queue or stop an AVID's download; the saga answers at once (no step to wait for). The
/// request goes through the catalog's outbox with a time to live of the wait: an outage longer than that answers 504
/// and the stored request expires unsent, so a late submit never enqueues a download nobody waits for.
/// </summary>
public sealed class DownloadClient(DurableRequests<CatalogDbContext> requests, ILogger<DownloadClient> logger)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public async Task<DownloadSubmitResult> SubmitAsync(Avid avid, bool mock, int mockSeconds, CancellationToken ct)
    {
        var request = new SubmitDownload { CorrelationId = avid.CorrelationId, Avid = avid.Value, Mock = mock, MockDurationSeconds = mockSeconds };
        try
        {
            return await requests.GetResponseAsync<SubmitDownload, DownloadSubmitResult>(request, Timeout, ct, timeToLive: Timeout);
        }
        catch (RequestTimeoutException)
        {
            return new DownloadSubmitResult { CorrelationId = avid.CorrelationId, Avid = avid.Value, Code = 504, Message = $"提交 {avid} 的下载任务超时" };
        }
        catch (RequestFaultException ex)
        {
            logger.LogError(ex, "The lifecycle saga faulted on a download submit of {Avid}", avid);
            return new DownloadSubmitResult { CorrelationId = avid.CorrelationId, Avid = avid.Value, Code = 500, Message = $"服务器内部错误: {FaultMessage(ex)}" };
        }
        catch (Exception ex) when (TransientErrors.IsTransient(ex))
        {
            logger.LogWarning(ex, "Could not send the download submit of {Avid}: the database is unavailable", avid);
            return new DownloadSubmitResult { CorrelationId = avid.CorrelationId, Avid = avid.Value, Code = 503, Message = ApiPipeline.Unavailable };
        }
    }

    public async Task<DownloadStopResult> StopAsync(Avid avid, string reason, CancellationToken ct)
    {
        var request = new StopDownload { CorrelationId = avid.CorrelationId, Avid = avid.Value, Reason = reason };
        try
        {
            return await requests.GetResponseAsync<StopDownload, DownloadStopResult>(request, Timeout, ct, timeToLive: Timeout);
        }
        catch (RequestTimeoutException)
        {
            return new DownloadStopResult { CorrelationId = avid.CorrelationId, Avid = avid.Value, Code = 504, Message = $"取消 {avid} 的下载任务超时" };
        }
        catch (RequestFaultException ex)
        {
            logger.LogError(ex, "The lifecycle saga faulted on cancelling the download of {Avid}", avid);
            return new DownloadStopResult { CorrelationId = avid.CorrelationId, Avid = avid.Value, Code = 500, Message = $"服务器内部错误: {FaultMessage(ex)}" };
        }
        catch (Exception ex) when (TransientErrors.IsTransient(ex))
        {
            logger.LogWarning(ex, "Could not send the download cancel of {Avid}: the database is unavailable", avid);
            return new DownloadStopResult { CorrelationId = avid.CorrelationId, Avid = avid.Value, Code = 503, Message = ApiPipeline.Unavailable };
        }
    }

    private static string FaultMessage(RequestFaultException ex) =>
        ex.Fault?.Exceptions is { Length: > 0 } e ? e[0].Message : ex.Message;
}
