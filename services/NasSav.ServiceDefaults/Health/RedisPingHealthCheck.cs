using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using NasSav.ServiceDefaults.Configuration;
using StackExchange.Redis;

namespace NasSav.ServiceDefaults.Health;

/// <summary>Readiness of the Redis server: one PING through the process's connection (3 s at most).</summary>
public sealed class RedisPingHealthCheck(IConnectionMultiplexer redis, IOptions<RedisOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var endpoint = options.Value.Endpoint;
        try
        {
            await redis.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(3), cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"Redis at {endpoint} did not answer PING within 3 s");
        }
        catch (RedisException ex)
        {
            return HealthCheckResult.Unhealthy($"Redis at {endpoint}: {ex.Message}");
        }
    }
}
