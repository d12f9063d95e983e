using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NasSav.Catalog.Data;
using NasSav.Catalog.Http;
using NasSav.Contracts.Downloads;
using NasSav.Contracts.Lifecycle;
using NasSav.ServiceDefaults.Bus;
using NasSav.ServiceDefaults.Http;
using NasSav.Sagas.Outbox;
using NasSav.Sagas;
using NasSav.ServiceDefaults.Telemetry;

namespace NasSav.Catalog.Lifecycle;

public static class LifecycleModule
{
    public static IServiceCollection AddLifecycle(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LifecycleOptions>()
            .Bind(configuration.GetSection(LifecycleOptions.Section))
            .Configure(o => o.TranslatorEnabled = configuration.GetValue("Translator:Enabled", false))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddEfOutbox<CatalogDbContext>(configuration);
        services.AddScoped<LibraryWriter>();
        services.AddScoped<LifecycleSteps>();
        services.AddNasSavInstruments<LifecycleMetrics>();
        services.AddScoped<DownloadSteps>();
        services.AddScoped<LifecycleClient>();
        // Declares the downloader's queue (same arguments as its endpoint) bound to DownloadVideo's exchange: a
        // command published before any downloader has started would otherwise match no queue and be lost. The
        // downloader's endpoint binds the same queue through its own exchange; RabbitMQ delivers once per queue.
        services.AddRabbitMqTopology(cfg => cfg.Publish<DownloadVideo>(p =>
            p.BindQueue(cfg.MessageTopology.GetMessageTopology<DownloadVideo>().EntityName, DownloadVideo.QueueName, q => q.SingleActiveConsumer = true)));
        services.AddBusContribution(x =>
        {
            x.AddSagaStateMachine<ResourceLifecycleStateMachine, ResourceLifecycle>(typeof(ResourceLifecycleDefinition))
                // On CatalogDbContext (table resource_lifecycles): the library rows the steps write and the
                // saga state commit in one transaction, under a row lock (PostgreSQL) / IMMEDIATE (SQLite).
                .EfRepository<ResourceLifecycle, CatalogDbContext>();
        });
        return services;
    }
}
