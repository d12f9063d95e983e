using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace NasSav.Catalog.Http;

public static class CatalogHttp
{
    /// <summary>Shared HTTP plumbing of the catalog endpoints: the {avid:avid} route constraint.</summary>
    public static IServiceCollection AddCatalogHttp(this IServiceCollection services) =>
        services.Configure<RouteOptions>(o => o.SetParameterPolicy<ReservedWordConstraint>(ReservedWordConstraint.Name));
}
