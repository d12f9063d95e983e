using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NasSav.ServiceDefaults.Bus;
using NasSav.ServiceDefaults.Http;
using NasSav.Coordination;

namespace NasSav.Catalog.Queue;

public static class QueueEndpoints
{
    public static IServiceCollection AddQueue(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddNasSavExpiringStore(configuration);
        services.TryAddSingleton<IQueueStatusSource, SagaQueueStatusSource>();
        services.AddBusContribution(x =>
        {
            x.AddConsumer<GetQueueStatusConsumer>();
            x.AddConsumer<QueueStatusPublisher, QueueStatusPublisherDefinition>();
        });
        return services;
    }

    /// <summary>GET /tasks/queue/status.</summary>
    public static IEndpointRouteBuilder MapQueueEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet($"{ApiPipeline.ApiPrefix}/tasks/queue/status", async (IQueueStatusSource source, CancellationToken ct) =>
            ApiResults.Ok(QueueStatusJson.ToElement(await source.GetAsync(ct))));
        return endpoints;
    }
}
