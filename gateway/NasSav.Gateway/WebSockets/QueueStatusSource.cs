using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NasSav.Contracts.Queue;

namespace NasSav.Gateway.WebSockets;

/// <summary>
/// Asks catalog for the queue (GetQueueStatus → QueueStatus). No answer in time is not an error for the
/// client: it gets an empty queue, and the next QueueStatusChanged brings the real one.
/// </summary>
public sealed class QueueStatusSource(IServiceScopeFactory scopes, IOptions<GatewayOptions> options, ILogger<QueueStatusSource> log)
{
    private readonly RequestTimeout _timeout = RequestTimeout.After(ms: (int)(options.Value.WebSocket.QueueStatusTimeout * 1000));

    public async Task<QueueStatus> GetAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var client = scope.ServiceProvider.GetRequiredService<IRequestClient<GetQueueStatus>>();
        try
        {
            var response = await client.GetResponse<QueueStatus>(new GetQueueStatus(), cancellationToken, _timeout);
            return response.Message;
        }
        catch (RequestTimeoutException)
        {
            log.LogWarning("No answer to GetQueueStatus within {Timeout}; sending an empty queue_status", _timeout.Value);
            return QueueStatusJson.Empty;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OperationCanceledException)
        {
            log.LogWarning(ex, "GetQueueStatus failed; sending an empty queue_status");
            return QueueStatusJson.Empty;
        }
    }
}
