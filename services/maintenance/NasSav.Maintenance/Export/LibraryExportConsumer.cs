using MassTransit;
using Microsoft.Extensions.Logging;
using NasSav.Contracts.Lifecycle;

namespace NasSav.Maintenance.Export;

/// <summary>
/// Keeps the export current from catalog's lifecycle events: a title that becomes Ready (added, refreshed,
/// translated) or Downloaded is (re)written, a video that appears or goes away (<see cref="VideoFileChanged"/>) is
/// linked or removed, a deleted title's folder is removed. This is the consumer of <see cref="ResourceStateChanged"/>
/// docs/lifecycle.md names. One message at a time: each may copy a video.
/// </summary>
public sealed class LibraryExportConsumer(LibraryExport export, ILogger<LibraryExportConsumer> logger) :
    IConsumer<ResourceStateChanged>, IConsumer<ResourceDeleted>, IConsumer<VideoFileChanged>
{
    /// <summary>The states after which the library row holds something new worth exporting.</summary>
    public static readonly IReadOnlySet<string> ExportStates = new HashSet<string>(StringComparer.Ordinal) { "Ready", "Downloaded" };

    public Task Consume(ConsumeContext<ResourceStateChanged> context) =>
        ExportStates.Contains(context.Message.State) ? SyncAsync(context.Message.Avid, context.CancellationToken) : Task.CompletedTask;

    public Task Consume(ConsumeContext<ResourceDeleted> context) => SyncAsync(context.Message.Avid, context.CancellationToken);

    public Task Consume(ConsumeContext<VideoFileChanged> context) => SyncAsync(context.Message.Avid, context.CancellationToken);

    private async Task SyncAsync(string avid, CancellationToken ct)
    {
        var change = await export.SyncAsync(avid, apply: true, ct);
        if (change.Error is not null) logger.LogWarning("Export of {Avid} failed: {Error} (the export-library job retries it)", avid, change.Error);
    }
}

public sealed class LibraryExportConsumerDefinition : ConsumerDefinition<LibraryExportConsumer>
{
    public LibraryExportConsumerDefinition()
    {
        EndpointName = "maintenance-library-export";
        ConcurrentMessageLimit = 1;
    }
}
