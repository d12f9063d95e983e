using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NasSav.Catalog.Actors;
using NasSav.Catalog.Avatars;
using NasSav.Catalog.Cookies;
using NasSav.Catalog.Covers;
using NasSav.Catalog.Data;
using NasSav.Catalog.Downloads;
using NasSav.Catalog.Genres;
using NasSav.Catalog.Http;
using NasSav.Catalog.Lifecycle;
using NasSav.Catalog.Maintenance;
using NasSav.Catalog.Queue;
using NasSav.Catalog.Resources;
using NasSav.Catalog.Settings;
using NasSav.Catalog.Sources;
using NasSav.Catalog.Translations;
using NasSav.Catalog.Watchdog;
using NasSav.Catalog.Videos;
using NasSav.Database;
using NasSav.Media.Storage;

namespace NasSav.Catalog;

/// <summary>The catalog service: library database, the NASSAV REST surface under /nassav/api.</summary>
public static class CatalogModule
{
    public static IServiceCollection AddCatalog(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddNasSavDatabase<CatalogDbContext>();
        services.AddNasSavMediaStore(configuration);
        services.AddSingleton<CoverLocator>();
        services.AddCoverThumbnails(configuration);
        services.AddCatalogHttp();
        services.AddResources();
        services.AddSources(configuration);
        services.AddDownloads(configuration);
        services.AddQueue(configuration);
        services.AddLifecycle(configuration);
        services.AddCatalogMaintenance();
        services.AddLifecycleWatchdog();
        return services;
    }

    public static IEndpointRouteBuilder MapCatalog(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapResourceEndpoints();
        endpoints.MapActorEndpoints();
        endpoints.MapGenreEndpoints();
        endpoints.MapSettingEndpoints();
        endpoints.MapSourceEndpoints();
        endpoints.MapCookieEndpoints();
        endpoints.MapDownloadEndpoints();
        endpoints.MapQueueEndpoints();
        endpoints.MapCoverEndpoints();
        endpoints.MapVideoEndpoints();
        endpoints.MapAvatarEndpoints();
        endpoints.MapAbspathEndpoint();
        endpoints.MapTranslationEndpoints();
        endpoints.MapWatchdogEndpoints();
        return endpoints;
    }
}
