using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NasSav.Downloader.Downloads;
using NasSav.Downloader.Monitoring;

namespace NasSav.Downloader;

/// <summary>
/// The downloader service as a module: the DownloadVideo queue (one download at a time cluster-wide under the
/// "download" lease), cancels, progress, and the lock monitoring API (docs/downloader.md).
/// </summary>
public static class DownloaderModule
{
    public static IServiceCollection AddDownloader(this IServiceCollection services, IConfiguration configuration) =>
        services.AddDownloadWorker(configuration);

    public static IEndpointRouteBuilder MapDownloader(this IEndpointRouteBuilder endpoints) => endpoints.MapLockMonitoring();
}
