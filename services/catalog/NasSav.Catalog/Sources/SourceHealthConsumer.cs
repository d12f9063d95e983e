using MassTransit;
using NasSav.Catalog.Data;
using NasSav.Contracts.Scraping;
using NasSav.Sagas.Outbox;
using NasSav.Sagas;

namespace NasSav.Catalog.Sources;

/// <summary>
/// Records the attempts the scraper reports with each of its results, on an endpoint of its own beside the lifecycle
/// saga's: the health rows are written apart from (and never under) the AVID's lifecycle lock, and a result that comes
/// too late for its step still counts, since the attempts were made.
/// </summary>
public sealed class SourceHealthConsumer(SourceHealthRecorder recorder) :
    IConsumer<SourceResolved>, IConsumer<SourceNotResolved>, IConsumer<MetadataScraped>, IConsumer<MetadataNotFound>
{
    public Task Consume(ConsumeContext<SourceResolved> context) => RecordAsync(context.Message.Attempts, context.CancellationToken);

    public Task Consume(ConsumeContext<SourceNotResolved> context) => RecordAsync(context.Message.Attempts, context.CancellationToken);

    public Task Consume(ConsumeContext<MetadataScraped> context) => RecordAsync(context.Message.Attempts, context.CancellationToken);

    public Task Consume(ConsumeContext<MetadataNotFound> context) => RecordAsync(context.Message.Attempts, context.CancellationToken);

    private Task RecordAsync(IReadOnlyList<SourceAttempt> attempts, CancellationToken ct) =>
        attempts.Count == 0 ? Task.CompletedTask : recorder.RecordAsync(attempts, ct);
}

public sealed class SourceHealthConsumerDefinition : ConsumerDefinition<SourceHealthConsumer>
{
    public SourceHealthConsumerDefinition() => EndpointName = "catalog-source-health";

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<SourceHealthConsumer> consumerConfigurator, IRegistrationContext context)
    {
        // Deadlocks, serialization failures and SQLite busy are worth another try; other errors are not.
        endpointConfigurator.UseMessageRetry(r => r.HandleSagaConflicts().Intervals(20, 100, 500, 1000, 2000));
        // The counts are added, not set: the inbox keeps a redelivered result from being counted twice.
        endpointConfigurator.UseEfOutbox<CatalogDbContext>(context);
    }
}
