using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Logging;
using NasSav.Contracts.Downloads;
using NasSav.Coordination;

namespace NasSav.Downloader.Downloads;

/// <summary>
/// Publishes progress straight through the bus (the root <see cref="IBus"/>, never a consume context: its outbox
/// would hold every event until the download ends) and keeps the snapshot beside it.
/// </summary>
public sealed class ProgressPublisher(IBus bus, IExpiringStore store, ILogger<ProgressPublisher> log)
{
    /// <summary>Progress is advisory: a failure is logged, never fails the download.</summary>
    public async Task PublishAsync(DownloadProgressed progress, CancellationToken ct)
    {
        try
        {
            await bus.Publish(progress, ct);
            var snapshot = new DownloadProgressSnapshot(progress.Percent, progress.Speed, progress.Eta,
                progress.Mock ? "" : ProgressFormat.Bytes(progress.BytesDone), ProgressFormat.EpochSeconds(progress.At),
                progress.Epoch, progress.Phase);
            await store.SetAsync(DownloadProgressKeys.For(progress.Avid), JsonSerializer.Serialize(snapshot), DownloadProgressKeys.Ttl, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            log.LogWarning(e, "Could not publish progress of {Avid} ({Percent} %)", progress.Avid, progress.Percent);
        }
    }

    public async Task ClearAsync(string avid)
    {
        try { await store.DeleteAsync(DownloadProgressKeys.For(avid)); }
        catch (Exception e) { log.LogWarning(e, "Could not delete the progress snapshot of {Avid}", avid); }
    }
}
