using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using NasSav.ServiceDefaults.Configuration;

namespace NasSav.ServiceDefaults.Health;

/// <summary>Readiness of the Redis server: one RESP PING (AUTH first when a password is set).</summary>
public sealed class RedisPingHealthCheck(IOptions<RedisOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var endpoint = options.Value.Endpoint;
        if (string.IsNullOrWhiteSpace(endpoint)) return HealthCheckResult.Healthy("not used");
        try
        {
            var (host, port) = SplitEndpoint(endpoint);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            using var client = new TcpClient();
            await client.ConnectAsync(host, port, timeout.Token);
            var stream = client.GetStream();
            var request = new StringBuilder();
            if (!string.IsNullOrEmpty(options.Value.Password))
                request.Append($"*2\r\n$4\r\nAUTH\r\n${Encoding.UTF8.GetByteCount(options.Value.Password)}\r\n{options.Value.Password}\r\n");
            request.Append("*1\r\n$4\r\nPING\r\n");
            await stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()), timeout.Token);
            var buffer = new byte[256];
            var text = "";
            while (!text.Contains("+PONG") && !text.Contains('-'))
            {
                var n = await stream.ReadAsync(buffer, timeout.Token);
                if (n == 0) break;
                text += Encoding.UTF8.GetString(buffer, 0, n);
            }
            return text.Contains("+PONG") ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy($"unexpected answer from Redis: {text.Trim()}");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy($"Redis at {endpoint} is unreachable: {ex.Message}");
        }
    }

    public static (string Host, int Port) SplitEndpoint(string endpoint)
    {
        var colon = endpoint.LastIndexOf(':');
        return colon > 0 && int.TryParse(endpoint[(colon + 1)..], out var port) ? (endpoint[..colon], port) : (endpoint, 6379);
    }
}
