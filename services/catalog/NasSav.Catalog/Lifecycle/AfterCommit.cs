using MassTransit;
using NasSav.Catalog.Covers;
using NasSav.Catalog.Thumbnails;
using NasSav.Contracts.Scraping;
using NasSav.Catalog.Data;
using NasSav.Media.Avids;
using NasSav.Sagas.Outbox;
using NasSav.Sagas;
using NasSav.Media.Storage;

namespace NasSav.Catalog.Lifecycle;

// Catalog-internal messages. The saga publishes them through its outbox, so they leave only
// once its transaction has committed; the work they start (a hot shared row, ffmpeg runs) therefore
// never runs while an AVID's lifecycle row is locked. Any catalog instance may take them.

/// <summary>A step's scraper attempts, for <see cref="SourceHealthRecorder"/>.</summary>
public sealed record SourceAttemptsReported
{
    public required IReadOnlyList<SourceAttempt> Attempts { get; init; }
}

/// <summary>A new cover was stored for <see cref="Avid"/>: make its thumbnails.</summary>
public sealed record CoverStored
{
    public required string Avid { get; init; }
}

public sealed class SourceHealthConsumer(SourceHealthRecorder recorder) : IConsumer<SourceAttemptsReported>
{
    public Task Consume(ConsumeContext<SourceAttemptsReported> context) => recorder.RecordAsync(context.Message.Attempts, context.CancellationToken);
}

public sealed class SourceHealthConsumerDefinition : ConsumerDefinition<SourceHealthConsumer>
{
    public SourceHealthConsumerDefinition() => EndpointName = "catalog-source-health";

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<SourceHealthConsumer> consumerConfigurator, IRegistrationContext context)
    {
        // Deadlocks, serialization failures and SQLite busy are worth another try; other errors are not.
        endpointConfigurator.UseMessageRetry(r => r.HandleSagaConflicts().Intervals(20, 100, 500, 1000, 2000));
        // The counts are added, not set: the inbox keeps a redelivered report from being counted twice.
        endpointConfigurator.UseEfOutbox<CatalogDbContext>(context);
    }
}

public sealed class CoverThumbnailsConsumer(CoverLocator covers, ThumbnailService thumbnails) : IConsumer<CoverStored>
{
    public async Task Consume(ConsumeContext<CoverStored> context)
    {
        if (!Avid.TryParse(context.Message.Avid, out var avid, out _)) return;
        var cover = await covers.FindAsync(avid, context.CancellationToken);
        if (cover is null) return; // deleted meanwhile
        foreach (var size in Enum.GetValues<ThumbnailSize>())
            await thumbnails.GetOrCreateAsync(avid, cover, size, context.CancellationToken);
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
