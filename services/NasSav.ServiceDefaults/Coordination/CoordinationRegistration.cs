using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NasSav.ServiceDefaults.Configuration;
using NasSav.ServiceDefaults.Data;
using NasSav.ServiceDefaults.Locking;
using NasSav.ServiceDefaults.Locking.Fencing;
using NasSav.ServiceDefaults.Redis;
using NasSav.ServiceDefaults.Shared;

namespace NasSav.ServiceDefaults.Coordination;

public static class CoordinationRegistration
{
    /// <summary>
    /// The lease lock, fencing epochs and expiring store a module needs: on Redis when Redis:Endpoint is set,
    /// in process otherwise; epochs always in the configured database (table fencing_epochs). Idempotent, so
    /// every module the standalone host composes can call it.
    /// </summary>
    public static IServiceCollection AddNasSavCoordination(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(CoordinationMarker))) return services;
        services.AddSingleton<CoordinationMarker>();

        services.AddValidatedOptions<LeaseOptions>(configuration, LeaseOptions.Section, LeaseOptions.Validate);
        services.AddNasSavDatabase<FencingDbContext>(FencingDbContext.HistoryTable);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IFencingEpochs, EfFencingEpochs>();

        if (!string.IsNullOrWhiteSpace(configuration[$"{RedisOptions.Section}:Endpoint"]))
        {
            services.AddNasSavRedisClient(configuration);
            services.TryAddSingleton<ILeaseLock, RedisLeaseLock>();
        }
        else
        {
            services.TryAddSingleton<ILeaseLock, InProcessLeaseLock>();
        }
        return services.AddNasSavExpiringStore(configuration);
    }

    /// <summary>
    /// Only the <see cref="IExpiringStore"/> (Redis when Redis:Endpoint is set, else in process), for modules
    /// that share values but take no lease: unlike <see cref="AddNasSavCoordination"/> it needs no database.
    /// </summary>
    public static IServiceCollection AddNasSavExpiringStore(this IServiceCollection services, IConfiguration configuration)
    {
        if (!string.IsNullOrWhiteSpace(configuration[$"{RedisOptions.Section}:Endpoint"]))
        {
            services.AddNasSavRedisClient(configuration);
            services.TryAddSingleton<IExpiringStore, RedisExpiringStore>();
        }
        else
        {
            services.TryAddSingleton<IExpiringStore, InProcessExpiringStore>();
        }
        return services;
    }

    /// <summary>The process's one <see cref="RedisClient"/> (section "Redis"), for hosts that use Redis directly.</summary>
    public static IServiceCollection AddNasSavRedisClient(this IServiceCollection services, IConfiguration configuration)
    {
        if (!services.Any(d => d.ServiceType == typeof(IConfigureOptions<RedisOptions>)))
            services.AddValidatedOptions<RedisOptions>(configuration, RedisOptions.Section, RedisClientSettings.Validate);
        services.TryAddSingleton(sp => new RedisClient(RedisClientSettings.From(sp.GetRequiredService<IOptions<RedisOptions>>().Value),
            sp.GetService<ILogger<RedisClient>>()));
        return services;
    }

    private sealed class CoordinationMarker;
}
