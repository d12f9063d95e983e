using MassTransit;
using Microsoft.Extensions.Options;
using NasSav.Contracts.Scraping;
using NasSav.Scraper.MetadataSites;

namespace NasSav.Scraper.Consumers;

/// <summary>ScrapeMetadata → MetadataScraped or MetadataNotFound (cover and avatars stored on the way).</summary>
public sealed class ScrapeMetadataConsumer(MetadataScraper scraper) : IConsumer<ScrapeMetadata>
{
    public async Task Consume(ConsumeContext<ScrapeMetadata> context)
    {
        var result = await scraper.ScrapeAsync(context.Message, context.CancellationToken);
        await context.Publish(result, result.GetType(), context.CancellationToken);
    }
}

public sealed class ScrapeMetadataConsumerDefinition(IOptions<ScraperOptions> options) : ScraperConsumerDefinition<ScrapeMetadataConsumer>(options);
