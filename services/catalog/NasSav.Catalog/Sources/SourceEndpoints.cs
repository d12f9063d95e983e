using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NasSav.Catalog.Data;
using NasSav.Catalog.Http;
using NasSav.ServiceDefaults.Bus;
using NasSav.ServiceDefaults.Http;

namespace NasSav.Catalog.Sources;

public static class SourceEndpoints
{
    public static IServiceCollection AddSources(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<Microsoft.Extensions.Options.IConfigureOptions<SourcesOptions>>(new SourcesOptionsSetup(configuration));
        services.AddOptions<SourcesOptions>().ValidateOnStart();
        services.AddSingleton<SourceRegistry>();
        services.AddScoped<SourceHealthRecorder>();
        services.AddBusContribution(x => x.AddConsumer<SourceHealthConsumer, SourceHealthConsumerDefinition>());
        return services;
    }

    /// <summary>GET /source/list: display names of the registered sources.</summary>
    public static IEndpointRouteBuilder MapSourceEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet($"{ApiPipeline.ApiPrefix}/source/list", (SourceRegistry sources) => ApiResults.Ok(sources.DisplayNames));
        endpoints.MapGet($"{ApiPipeline.ApiPrefix}/source/health", HealthAsync);
        return endpoints;
    }

    /// <summary>GET /source/health (our addition): per-source counts and last success/error, from the scraper's attempts.</summary>
    private static async Task<IResult> HealthAsync(CatalogDbContext db, CancellationToken ct)
    {
        var rows = await db.SourceHealth.AsNoTracking().ToListAsync(ct);
        return ApiResults.Ok(rows
            .OrderBy(r => r.Source, StringComparer.OrdinalIgnoreCase)
            .Select(r => new
            {
                source = r.Source,
                last_success_at = Times.Iso(r.LastSuccessAt),
                last_error_at = Times.Iso(r.LastErrorAt),
                last_error = r.LastError,
                success_count = r.SuccessCount,
                failure_count = r.FailureCount,
            })
            .ToList());
    }
}
