using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NasSav.ServiceDefaults.Configuration;
using NasSav.Database;
using NasSav.Coordination.Locking;
using NasSav.Coordination.Locking.Fencing;
using NasSav.Coordination.Redis;
using NasSav.ServiceDefaults.Redis;
using NasSav.ServiceDefaults.Telemetry;

namespace NasSav.Coordination;

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
        services.AddNasSavInstruments<LeaseMetrics>();

        services.AddNasSavExpiringStore(configuration);
        if (UsesRedis(configuration))
            services.TryAddSingleton<ILeaseLock, RedisLeaseLock>();
        else
            services.TryAddSingleton<ILeaseLock, InProcessLeaseLock>();
        return services;
    }

    /// <summary>Only the expiring store (Redis or in process), for modules that need no lock, e.g. catalog's queue.</summary>
    public static IServiceCollection AddNasSavExpiringStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        if (UsesRedis(configuration))
        {
            services.AddNasSavRedis(configuration);
            services.TryAddSingleton<IExpiringStore, RedisExpiringStore>();
        }
        else
            services.TryAddSingleton<IExpiringStore, InProcessExpiringStore>();
        return services;
    }

    private static bool UsesRedis(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[$"{RedisOptions.Section}:Endpoint"]);

    private sealed class CoordinationMarker;
}
