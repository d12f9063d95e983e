using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NasSav.ServiceDefaults.Configuration;
using StackExchange.Redis;

namespace NasSav.ServiceDefaults.Redis;

/// <summary>
/// The process's StackExchange.Redis connection, built from <see cref="RedisOptions"/> (section "Redis") to fail
/// fast: while Redis is unreachable a command throws at once instead of waiting in a backlog, a command pending
/// when the connection breaks fails at once, and one without an answer fails after <c>Redis:CommandTimeout</c>.
/// The lease watchdog and the translator's rate limit count on that: they have their own retry rhythm and
/// fallbacks, and a queued renewal would only hide that the lease is about to expire.
/// </summary>
public static class RedisConnections
{
    /// <summary>The process's one connection (section "Redis"), for hosts and libraries that use Redis; registered once.</summary>
    public static IServiceCollection AddNasSavRedis(this IServiceCollection services, IConfiguration configuration)
    {
        if (!services.Any(d => d.ServiceType == typeof(IConfigureOptions<RedisOptions>)))
            services.AddValidatedOptions<RedisOptions>(configuration, RedisOptions.Section, Validate);
        services.TryAddSingleton<IConnectionMultiplexer>(sp =>
            Connect(sp.GetRequiredService<IOptions<RedisOptions>>().Value, sp.GetService<ILoggerFactory>()));
        return services;
    }

    /// <summary>How often the connection checks for timed-out commands (StackExchange.Redis's default is 1 s).</summary>
    internal static TimeSpan HeartbeatFor(TimeSpan commandTimeout) =>
        TimeSpan.FromMilliseconds(Math.Clamp(commandTimeout.TotalMilliseconds / 4, 100, 1000));

    public static ConfigurationOptions Options(RedisOptions o)
    {
        var options = new ConfigurationOptions
        {
            EndPoints = { o.Endpoint ?? throw new InvalidOperationException("Redis:Endpoint is not set") },
            ClientName = string.IsNullOrWhiteSpace(o.ClientName) ? null : o.ClientName,
            ConnectTimeout = Milliseconds(o.ConnectTimeout),
            SyncTimeout = Milliseconds(o.CommandTimeout),
            AsyncTimeout = Milliseconds(o.CommandTimeout),
            HeartbeatInterval = HeartbeatFor(o.CommandTimeout),
            // Start (and keep trying in the background) even when Redis is down: readiness reports it.
            AbortOnConnectFail = false,
            BacklogPolicy = BacklogPolicy.FailFast,
            ReconnectRetryPolicy = new ExponentialRetry(100, 5000),
        };
        if (!string.IsNullOrEmpty(o.Password)) options.Password = o.Password;
        return options;
    }

    /// <summary>Connects (returning even when Redis is unreachable) and logs connection losses and recoveries.</summary>
    public static ConnectionMultiplexer Connect(RedisOptions o, ILoggerFactory? logs = null)
    {
        var options = Options(o);
        var redis = ConnectionMultiplexer.Connect(options);
        if (logs is not null)
        {
            var logger = logs.CreateLogger("NasSav.Redis");
            redis.ConnectionFailed += (_, e) => logger.LogWarning("Redis at {Endpoint}: {Connection} connection lost ({Failure}): {Error}",
                o.Endpoint, e.ConnectionType, e.FailureType, e.Exception?.Message);
            redis.ConnectionRestored += (_, e) => logger.LogInformation("Redis at {Endpoint}: {Connection} connection established",
                o.Endpoint, e.ConnectionType);
        }
        return redis;
    }

    public static IEnumerable<string?> Validate(RedisOptions o)
    {
        if (!string.IsNullOrWhiteSpace(o.Endpoint))
        {
            var colon = o.Endpoint.LastIndexOf(':');
            if (colon == 0 || (colon > 0 && !o.Endpoint.EndsWith(']') &&
                               (!int.TryParse(o.Endpoint[(colon + 1)..], out var port) || port is < 1 or > 65535)))
                yield return $"Endpoint '{o.Endpoint}' must be host:port";
        }
        if (o.CommandTimeout <= TimeSpan.Zero) yield return "CommandTimeout must be positive";
        if (o.ConnectTimeout <= TimeSpan.Zero) yield return "ConnectTimeout must be positive";
    }

    private static int Milliseconds(TimeSpan t) => (int)Math.Clamp(Math.Ceiling(t.TotalMilliseconds), 1, int.MaxValue);
}
