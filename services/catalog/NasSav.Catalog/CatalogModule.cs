using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace NasSav.Catalog;

/// <summary>The catalog service: library database, the NASSAV REST surface under /nassav/api.</summary>
public static class CatalogModule
{
    public static IServiceCollection AddCatalog(this IServiceCollection services, IConfiguration configuration) => services;

    public static IEndpointRouteBuilder MapCatalog(this IEndpointRouteBuilder endpoints) => endpoints;
}
