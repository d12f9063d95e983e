using MassTransit;
using Microsoft.Extensions.Options;
using NasSav.Contracts.Scraping;

namespace NasSav.Scraper.MetadataSites;

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
