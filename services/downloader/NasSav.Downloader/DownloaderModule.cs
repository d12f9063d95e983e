using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NasSav.Downloader.Downloads;
using NasSav.Downloader.Engine;
using NasSav.Downloader.Engine.Fetching;
using NasSav.Downloader.Monitoring;
using NasSav.ServiceDefaults.Configuration;
using NasSav.Media.Processes;
using NasSav.ServiceDefaults.Telemetry;

namespace NasSav.Downloader;

/// <summary>
/// The downloader service as a module: the native HLS engine, and around it the DownloadVideo queue (one download at
/// a time cluster-wide under the "download" lease), cancels, progress and the lock monitoring API (docs/downloader.md).
/// </summary>
public static class DownloaderModule
{
    public static IServiceCollection AddDownloader(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHlsEngine(configuration);
        services.AddDownloadWorker(configuration);
        return services;
    }

    /// <summary>The HLS engine alone (<see cref="IHlsDownloader"/>, its options and HTTP client): what <c>nassav get</c> runs without a host.</summary>
    public static IServiceCollection AddHlsEngine(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<HlsEngineOptions>(configuration, HlsEngineOptions.Section, HlsEngineOptions.Validate);
        services.AddMediaTools(configuration);
        services.AddHttpClient(HlsHttp.ClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var o = sp.GetRequiredService<IOptions<HlsEngineOptions>>().Value;
                // One connection per parallel segment plus playlist/key requests; timeouts are ours (stall watchdog).
                return new SocketsHttpHandler
                {
                    MaxConnectionsPerServer = o.Parallelism + 2,
                    ConnectTimeout = TimeSpan.FromMilliseconds(o.RequestTimeoutMs),
                    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                    AutomaticDecompression = System.Net.DecompressionMethods.None,
                    UseCookies = false,
                };
            })
            // A log line per segment request would drown everything else.
            .RemoveAllLoggers();
        services.AddSingleton<IHlsDownloader, HlsDownloader>();
        services.AddNasSavInstruments<DownloaderMetrics>();
        return services;
    }

    public static IEndpointRouteBuilder MapDownloader(this IEndpointRouteBuilder endpoints) => endpoints.MapLockMonitoring();
}
