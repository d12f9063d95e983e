using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NasSav.Scraper.Avatars;
using NasSav.Scraper.Covers;
using NasSav.Scraper.Http;
using NasSav.Scraper.MetadataSites;
using NasSav.Scraper.Sources;
using NasSav.ServiceDefaults.Bus;
using NasSav.ServiceDefaults.Configuration;
using NasSav.ServiceDefaults.Telemetry;
using NasSav.Media.Storage;

namespace NasSav.Scraper;

/// <summary>
/// The scraper service as a module: sources and metadata sites from configuration (checked at start),
/// the FetchSource and ScrapeMetadata consumers. Stateless: run as many instances as wanted.
/// Covers and avatars go to the host's media store (folder or S3).
/// </summary>
public static class ScraperModule
{
    public static IServiceCollection AddScraper(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ScraperOptions>(configuration, ScraperOptions.Section, ScraperOptions.Validate)
            .PostConfigure(o =>
            {
                // NASSAV's top-level Proxy: { Enable: true, url: ... } when Scraper:Proxy is not set.
                if (string.IsNullOrWhiteSpace(o.Proxy) &&
                    bool.TryParse(configuration["Proxy:Enable"], out var enabled) && enabled)
                    o.Proxy = configuration["Proxy:url"];
            });
        services.AddSingleton<IConfigureOptions<ScraperSourcesOptions>>(new SourcesSetup(configuration));
        services.AddSingleton<IValidateOptions<ScraperSourcesOptions>, SourcesValidator>();
        services.AddOptions<ScraperSourcesOptions>().ValidateOnStart();
        services.AddSingleton<IConfigureOptions<MetadataSitesOptions>>(new MetadataSitesSetup(configuration));
        services.AddSingleton<IValidateOptions<MetadataSitesOptions>, MetadataSitesValidator>();
        services.AddOptions<MetadataSitesOptions>().ValidateOnStart();

        services.AddNasSavMediaStore(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<HostRateLimiter>(sp => new HostRateLimiter(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ScraperHttp>();
        services.TryAddSingleton<ImageFetcher>();
        services.TryAddSingleton<CoverSaver>();
        services.TryAddSingleton<AvatarSaver>();
        services.TryAddSingleton<SourceHealth>();
        services.AddNasSavInstruments<ScraperMetrics>();
        services.TryAddSingleton<SourceResolver>();
        services.TryAddSingleton<MetadataScraper>();

        services.AddBusContribution(x =>
        {
            x.AddConsumer<FetchSourceConsumer, FetchSourceConsumerDefinition>();
            x.AddConsumer<ScrapeMetadataConsumer, ScrapeMetadataConsumerDefinition>();
        });
        return services;
    }

    /// <summary>GET /scraper/health/sources: this instance's per-source and per-site counters.</summary>
    public static IEndpointRouteBuilder MapScraper(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/scraper/health/sources", (SourceHealth health) => Results.Json(health.Snapshot()));
        return endpoints;
    }
}
