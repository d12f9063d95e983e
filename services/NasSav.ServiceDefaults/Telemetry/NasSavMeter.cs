using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace NasSav.ServiceDefaults.Telemetry;

/// <summary>
/// The one meter every NasSav instrument lives under (and the name of our activity source). Each module keeps its
/// instruments in a class of its own (catalog's lifecycle, the scraper, the translator, the downloader, maintenance,
/// the lease lock) created from <see cref="IMeterFactory"/>, so a host's instruments belong to its container.
/// docs/operations.md lists them; deploy/grafana/nassav.json charts them.
/// </summary>
public static class NasSavMeter
{
    public const string Name = "NasSav";

    /// <summary>Registers a module's instruments class (once) and the meter factory it needs.</summary>
    public static IServiceCollection AddNasSavInstruments<T>(this IServiceCollection services) where T : class
    {
        services.AddMetrics();
        services.TryAddSingleton<T>();
        return services;
    }

    public static Meter Create(IMeterFactory meters) => meters.Create(Name);
}
