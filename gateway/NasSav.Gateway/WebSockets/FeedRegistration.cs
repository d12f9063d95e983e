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
    /// The task events (started, progress, ended) share that endpoint, one message at a time, so frames keep the
    /// order in which the events arrived.
    /// </summary>
    public static IServiceCollection AddTaskFeed(this IServiceCollection services)
    {
        services.AddSingleton<FeedHub>();
        services.AddSingleton<QueueStatusSource>();
        services.AddSingleton<OriginPolicy>();
        services.AddSingleton<TaskEpochs>();
        var instance = $"{Environment.MachineName}-{Guid.NewGuid():N}".ToLowerInvariant();
        var endpointName = $"gateway-feed-{instance}";
        services.AddBusContribution(x =>
        {
            x.AddRequestClient<GetQueueStatus>();
            void FeedEndpoint(IEndpointRegistrationConfigurator e)
            {
                e.Name = endpointName;
                e.InstanceId = instance;
                e.Temporary = true;
                e.ConcurrentMessageLimit = 1; // frames in the order the events arrived
            }
            x.AddConsumer<QueueStatusChangedConsumer>().Endpoint(FeedEndpoint);
            x.AddConsumer<DownloadStartedConsumer>().Endpoint(FeedEndpoint);
            x.AddConsumer<DownloadProgressedConsumer>().Endpoint(FeedEndpoint);
            x.AddConsumer<DownloadTaskEndedConsumer>().Endpoint(FeedEndpoint);
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
