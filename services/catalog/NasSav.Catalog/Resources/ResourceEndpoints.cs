using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace NasSav.Catalog.Resources;

public static class ResourceEndpoints
{
    public static IServiceCollection AddResources(this IServiceCollection services) =>
        services.AddSingleton<ResourceFiles>();

    /// <summary>/resources/, /resources/batch and /resource/... (not /resource/cover: the media endpoints).</summary>
    public static IEndpointRouteBuilder MapResourceEndpoints(this IEndpointRouteBuilder endpoints) =>
        endpoints
            .MapResourceList()
            .MapResourceBatch()
            .MapResourceAdd()
            .MapResourceMetadata()
            .MapResourcePreview()
            .MapResourceStatus()
            .MapResourceRefresh()
            .MapResourceDelete();
}
