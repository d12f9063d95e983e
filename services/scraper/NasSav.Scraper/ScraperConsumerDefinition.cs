using MassTransit;
using Microsoft.Extensions.Options;

namespace NasSav.Scraper;

/// <summary>
/// Endpoint policy shared by the scraper's consumers: Scraper:ConcurrentMessageLimit messages at a
/// time, and the in-memory outbox so result events leave only when the consumer completes.
/// </summary>
public abstract class ScraperConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer> where TConsumer : class, IConsumer
{
    protected ScraperConsumerDefinition(IOptions<ScraperOptions> options) =>
        ConcurrentMessageLimit = options.Value.ConcurrentMessageLimit;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TConsumer> consumerConfigurator, IRegistrationContext context) =>
        endpointConfigurator.UseInMemoryOutbox(context);
}
