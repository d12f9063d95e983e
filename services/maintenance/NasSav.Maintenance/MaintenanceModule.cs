using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace NasSav.Maintenance;

/// <summary>
/// The maintenance service as a module. Its work arrives with a later issue; until then it starts, joins
/// the bus (its host's readiness includes the broker) and reports healthy.
/// </summary>
public static class MaintenanceModule
{
    public static IServiceCollection AddMaintenance(this IServiceCollection services, IConfiguration configuration) => services;

    public static IEndpointRouteBuilder MapMaintenance(this IEndpointRouteBuilder endpoints) => endpoints;
}
