using MassTransit;
using NasSav.Catalog.Covers;
using NasSav.Contracts.Scraping;
using NasSav.Media.Avids;
using NasSav.Media.Storage;

namespace NasSav.Catalog.Thumbnails;

/// <summary>
/// Makes the three thumbnails of a cover the scraper has just stored, from the scraper's own result (on an endpoint of
/// its own: ffmpeg never runs while an AVID's lifecycle row is locked). A cover deleted meanwhile is skipped.
/// </summary>
public sealed class CoverThumbnailsConsumer(CoverLocator covers, ThumbnailService thumbnails) :
    IConsumer<MetadataScraped>, IConsumer<MetadataNotFound>
{
    public Task Consume(ConsumeContext<MetadataScraped> context) =>
        context.Message.CoverSaved ? MakeAsync(context.Message.Avid, context.CancellationToken) : Task.CompletedTask;

    public Task Consume(ConsumeContext<MetadataNotFound> context) =>
        context.Message.CoverSaved ? MakeAsync(context.Message.Avid, context.CancellationToken) : Task.CompletedTask;

    private async Task MakeAsync(string raw, CancellationToken ct)
    {
        if (!Avid.TryParse(raw, out var avid, out _)) return;
        var cover = await covers.FindAsync(avid, ct);
        if (cover is null) return;
        foreach (var size in Enum.GetValues<ThumbnailSize>())
            await thumbnails.GetOrCreateAsync(avid, cover, size, ct);
    }
}

public sealed class CoverThumbnailsConsumerDefinition : ConsumerDefinition<CoverThumbnailsConsumer>
{
    public CoverThumbnailsConsumerDefinition()
    {
        EndpointName = "catalog-cover-thumbnails";
        // ffmpeg is CPU-bound: a couple at a time per instance.
        ConcurrentMessageLimit = 2;
    }
}
