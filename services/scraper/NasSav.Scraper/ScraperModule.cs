using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace NasSav.Scraper;

/// <summary>
/// The scraper service as a module. Its work arrives with a later issue; until then it starts, joins
/// the bus (its host's readiness includes the broker) and reports healthy.
/// </summary>
public static class ScraperModule
{
    public static IServiceCollection AddScraper(this IServiceCollection services, IConfiguration configuration) => services;

    public static IEndpointRouteBuilder MapScraper(this IEndpointRouteBuilder endpoints) => endpoints;
}
