using System.Collections.Concurrent;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using NasSav.Catalog.Data;
using NasSav.Contracts.Downloads;

namespace NasSav.Catalog.Tests.Lifecycle;

/// <summary>
/// The downloader, faked at the message level: it records DownloadVideo and CancelDownload and otherwise stays
/// silent, so a test plays the downloader's events (started, completed, failed, with epochs) itself. AVIDs in
/// <see cref="Throw"/> make the consumer throw (Fault&lt;DownloadVideo&gt;).
/// </summary>
public sealed class DownloaderScript
{
    public ConcurrentQueue<DownloadVideo> Downloads { get; } = new();
    public ConcurrentQueue<CancelDownload> Cancels { get; } = new();
    public ConcurrentDictionary<string, string> Throw { get; } = new();
    /// <summary>What the database said about the row when each DownloadTaskEnded arrived (file_exists).</summary>
    public ConcurrentQueue<(DownloadTaskEnded Ended, bool? FileExistsThen)> Ended { get; } = new();
}

public sealed class FakeDownloadVideoConsumer(DownloaderScript script) : IConsumer<DownloadVideo>
{
    public Task Consume(ConsumeContext<DownloadVideo> context)
    {
        script.Downloads.Enqueue(context.Message);
        if (script.Throw.TryGetValue(context.Message.Avid, out var message)) throw new InvalidOperationException(message);
        return Task.CompletedTask;
    }
}

public sealed class FakeCancelDownloadConsumer(DownloaderScript script) : IConsumer<CancelDownload>
{
    public Task Consume(ConsumeContext<CancelDownload> context)
    {
        script.Cancels.Enqueue(context.Message);
        return Task.CompletedTask;
    }
}

/// <summary>A client that refetches the resource the moment task_completed arrives (as the UI does).</summary>
public sealed class TaskEndedProbe(DownloaderScript script, CatalogDbContext db) : IConsumer<DownloadTaskEnded>
{
    public async Task Consume(ConsumeContext<DownloadTaskEnded> context)
    {
        var row = await db.Resources.AsNoTracking().FirstOrDefaultAsync(r => r.Avid == context.Message.Avid);
        script.Ended.Enqueue((context.Message, row?.FileExists));
    }
}
