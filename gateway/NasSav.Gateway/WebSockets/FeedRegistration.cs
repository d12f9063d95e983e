using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using NasSav.Contracts.Queue;
using NasSav.ServiceDefaults.Bus;

namespace NasSav.Gateway.WebSockets;

public static class FeedRegistration
{
    /// <summary>
    /// The feed's consumers run on a queue of this instance alone (temporary: auto-delete, non-durable, a
    /// unique name), so that each gateway instance receives every event and fans it out to its own clients.
    /// Later task events (progress, started, completed, failed) get their consumer on the same endpoint.
    /// </summary>
    public static IServiceCollection AddTaskFeed(this IServiceCollection services)
    {
        services.AddSingleton<FeedHub>();
        services.AddSingleton<QueueStatusSource>();
        services.AddSingleton<OriginPolicy>();
        var instance = $"{Environment.MachineName}-{Guid.NewGuid():N}".ToLowerInvariant();
        var endpointName = $"gateway-feed-{instance}";
        services.AddBusContribution(x =>
        {
            x.AddRequestClient<GetQueueStatus>();
            x.AddConsumer<QueueStatusChangedConsumer>().Endpoint(e =>
            {
                e.Name = endpointName;
                e.InstanceId = instance;
                e.Temporary = true;
                e.ConcurrentMessageLimit = 1; // snapshots in the order they were published
            });
        });
        return services;
    }

    public static IApplicationBuilder UseTaskFeed(this IApplicationBuilder app)
    {
        app.UseWebSockets();
        app.UseMiddleware<TaskFeedMiddleware>();
        return app;
    }
}
