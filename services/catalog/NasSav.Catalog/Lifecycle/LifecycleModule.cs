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
        services.AddScoped<SourceHealthRecorder>();
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
            x.AddConsumer<SourceHealthConsumer, SourceHealthConsumerDefinition>();
            x.AddConsumer<CoverThumbnailsConsumer, CoverThumbnailsConsumerDefinition>();
        });
        return services;
    }

    /// <summary>GET /source/health (our addition): per-source counts and last success/error, from the scraper's attempts.</summary>
    public static IEndpointRouteBuilder MapLifecycleEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet($"{ApiPipeline.ApiPrefix}/source/health", async (CatalogDbContext db, CancellationToken ct) =>
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
        });
        return endpoints;
    }
}
