using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NasSav.ServiceDefaults.Http;

namespace NasSav.Catalog.Sources;

public static class SourceEndpoints
{
    public static IServiceCollection AddSources(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<Microsoft.Extensions.Options.IConfigureOptions<SourcesOptions>>(new SourcesOptionsSetup(configuration));
        services.AddOptions<SourcesOptions>().ValidateOnStart();
        services.AddSingleton<SourceRegistry>();
        return services;
    }

    /// <summary>GET /source/list: display names of the registered sources.</summary>
    public static IEndpointRouteBuilder MapSourceEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet($"{ApiPipeline.ApiPrefix}/source/list", (SourceRegistry sources) => ApiResults.Ok(sources.DisplayNames));
        return endpoints;
    }
}
