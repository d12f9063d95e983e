using MassTransit;
using Microsoft.Extensions.Options;
using NasSav.Contracts.Scraping;

namespace NasSav.Scraper.Sources;

/// <summary>FetchSource → SourceResolved or SourceNotResolved. Site failures are answers, never faults.</summary>
public sealed class FetchSourceConsumer(SourceResolver resolver) : IConsumer<FetchSource>
{
    public async Task Consume(ConsumeContext<FetchSource> context)
    {
        var result = await resolver.ResolveAsync(context.Message, context.CancellationToken);
        await context.Publish(result, result.GetType(), context.CancellationToken);
    }
}

public sealed class FetchSourceConsumerDefinition(IOptions<ScraperOptions> options) : ScraperConsumerDefinition<FetchSourceConsumer>(options);
