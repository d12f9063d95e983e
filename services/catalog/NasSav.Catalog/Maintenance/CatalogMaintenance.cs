using Microsoft.Extensions.DependencyInjection;
using NasSav.ServiceDefaults.Bus;

namespace NasSav.Catalog.Maintenance;

/// <summary>
/// The catalog's side of the maintenance service: it reads the library and applies repairs only through
/// these consumers (request/response on the bus), so the library's tables stay the catalog's alone.
/// </summary>
public static class CatalogMaintenance
{
    public static IServiceCollection AddCatalogMaintenance(this IServiceCollection services)
    {
        services.AddBusContribution(x =>
        {
            x.AddConsumer<LibraryInventoryConsumer>();
            x.AddConsumer<ActorInventoryConsumer>();
            x.AddConsumer<LibraryRepairConsumer>();
            x.AddConsumer<ResourceDetailsConsumer>();
            x.AddConsumer<ImportVideoConsumer>(typeof(ImportVideoConsumerDefinition));
        });
        return services;
    }
}
