using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NasSav.Downloader.Engine;
using NasSav.Downloader.Monitoring;
using NasSav.ServiceDefaults.Bus;
using NasSav.ServiceDefaults.Configuration;
using NasSav.Coordination;
using NasSav.ServiceDefaults.Telemetry;
using NasSav.Media.Storage;

namespace NasSav.Downloader.Downloads;

public static class DownloadWorkerRegistration
{
    /// <summary>
    /// The DownloadVideo consumer, the per-instance cancel endpoint, the lock monitor and what they share. Needs an
    /// <see cref="Engine.IHlsDownloader"/>.
    /// </summary>
    public static IServiceCollection AddDownloadWorker(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<DownloaderOptions>(configuration, DownloaderOptions.Section, DownloaderOptions.Validate);
        // Lease lock, fencing epochs and expiring store: Redis when configured, in process otherwise.
        services.AddNasSavCoordination(configuration);
        services.AddNasSavMediaStore(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RunningDownloads>();
        services.TryAddSingleton<TaskMarks>();
        services.TryAddSingleton<StagingArea>();
        services.TryAddSingleton<ProgressPublisher>();
        services.TryAddSingleton<Heartbeats>();
        services.TryAddSingleton<LockStats>();
        services.AddNasSavInstruments<DownloaderMetrics>();
        services.TryAddScoped<FencedMove>();
        services.TryAddScoped<RealDownload>();
        services.TryAddScoped<MockDownload>();
        services.TryAddSingleton<LockMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<LockMonitor>());

        var instance = $"{Environment.MachineName}-{Guid.NewGuid():N}".ToLowerInvariant();
        services.AddBusContribution(x =>
        {
            x.AddConsumer<DownloadVideoConsumer, DownloadVideoConsumerDefinition>();
            // Every instance must see every cancel: a queue of its own (temporary: auto-delete, non-durable).
            x.AddConsumer<CancelDownloadConsumer>().Endpoint(e =>
            {
                e.Name = $"downloader-cancel-{instance}";
                e.InstanceId = instance;
                e.Temporary = true;
            });
        });
        return services;
    }
}
