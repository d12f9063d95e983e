using Microsoft.Extensions.Diagnostics.HealthChecks;
using NasSav.ServiceDefaults.Redis;

namespace NasSav.ServiceDefaults.Health;

/// <summary>Readiness of the Redis server: one PING through the process's client (3 s at most).</summary>
public sealed class RedisPingHealthCheck(RedisClient redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            var answer = await redis.PingAsync(timeout.Token);
            return answer == "PONG" ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy($"unexpected answer from Redis at {redis.Endpoint}: {answer}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"Redis at {redis.Endpoint} did not answer PING within 3 s");
        }
        catch (RedisException ex)
        {
            return HealthCheckResult.Unhealthy(ex.Message);
        }
    }
}
