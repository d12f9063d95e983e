using MassTransit;
using Microsoft.Extensions.Logging;
using NasSav.Contracts.Downloads;
using NasSav.ServiceDefaults.Avids;

namespace NasSav.Catalog.Downloads;

/// <summary>Asks the lifecycle saga to queue or stop an AVID's download; the saga answers at once (no step to wait for).</summary>
public sealed class DownloadClient(IRequestClient<SubmitDownload> submits, IRequestClient<StopDownload> stops, ILogger<DownloadClient> logger)
{
    private static readonly RequestTimeout Timeout = RequestTimeout.After(s: 30);

    public async Task<DownloadSubmitResult> SubmitAsync(Avid avid, bool mock, int mockSeconds, CancellationToken ct)
    {
        var request = new SubmitDownload { CorrelationId = avid.CorrelationId, Avid = avid.Value, Mock = mock, MockDurationSeconds = mockSeconds };
        try
        {
            return (await submits.GetResponse<DownloadSubmitResult>(request, ct, Timeout)).Message;
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
    }

    public async Task<DownloadStopResult> StopAsync(Avid avid, string reason, CancellationToken ct)
    {
        var request = new StopDownload { CorrelationId = avid.CorrelationId, Avid = avid.Value, Reason = reason };
        try
        {
            return (await stops.GetResponse<DownloadStopResult>(request, ct, Timeout)).Message;
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
    }

    private static string FaultMessage(RequestFaultException ex) =>
        ex.Fault?.Exceptions is { Length: > 0 } e ? e[0].Message : ex.Message;
}
