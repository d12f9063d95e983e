using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NasSav.Catalog.Data;
using NasSav.ServiceDefaults.Data;

namespace NasSav.Catalog;

/// <summary>The catalog service: library database, the NASSAV REST surface under /nassav/api.</summary>
public static class CatalogModule
{
    public static IServiceCollection AddCatalog(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddNasSavDatabase<CatalogDbContext>();
        services.AddSingleton<Covers.CoverLocator>();
        Covers.CoverEndpoints.AddCoverThumbnails(services, configuration);
        return services;
    }

    public static IEndpointRouteBuilder MapCatalog(this IEndpointRouteBuilder endpoints)
    {
        Covers.CoverEndpoints.MapCoverEndpoints(endpoints);
        Avatars.AvatarEndpoints.MapAvatarEndpoints(endpoints);
        Downloads.AbspathEndpoint.MapAbspathEndpoint(endpoints);
        return endpoints;
    }
}
