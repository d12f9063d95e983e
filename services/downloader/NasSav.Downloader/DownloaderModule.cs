using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace NasSav.Downloader;

/// <summary>
/// The downloader service as a module. Its work arrives with a later issue; until then it starts, joins
/// the bus (its host's readiness includes the broker) and reports healthy.
/// </summary>
public static class DownloaderModule
{
    public static IServiceCollection AddDownloader(this IServiceCollection services, IConfiguration configuration) => services;

    public static IEndpointRouteBuilder MapDownloader(this IEndpointRouteBuilder endpoints) => endpoints;
}
