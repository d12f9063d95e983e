using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace NasSav.Translator;

/// <summary>
/// The translator service as a module. Its work arrives with a later issue; until then it starts, joins
/// the bus (its host's readiness includes the broker) and reports healthy.
/// </summary>
public static class TranslatorModule
{
    public static IServiceCollection AddTranslator(this IServiceCollection services, IConfiguration configuration) => services;

    public static IEndpointRouteBuilder MapTranslator(this IEndpointRouteBuilder endpoints) => endpoints;
}
