using MassTransit;
using NasSav.Catalog.Data;
using NasSav.Catalog.Resources;
using NasSav.Contracts.Lifecycle;
using NasSav.Media.Avids;
using NasSav.Sagas.Outbox;

namespace NasSav.Catalog.Downloads;

/// <summary>
/// Deletes video/{AVID}.mp4 and marks the row not downloaded — also when the file is already gone,
/// which the peer left inconsistent (file_exists true with no file).
/// </summary>
public static class VideoRemoval
{
    /// <param name="FileSize">Size of the deleted file; null when there was no file.</param>
    /// <param name="Reconciled">The row claimed a video and now does not.</param>
    public sealed record Outcome(long? FileSize, bool Reconciled)
    {
        public bool Deleted => FileSize is not null;
    }

    /// <summary>
    /// <see cref="VideoFileChanged"/> (Exists false) tells followers such as the export; it is an outbox row written
    /// with the row's change, so a broker that is down delays it and never loses it.
    /// </summary>
    public static async Task<Outcome> DeleteAsync(Avid avid, CatalogDbContext db, ResourceFiles files,
        TransactionalOutbox<CatalogDbContext> outbox, CancellationToken ct)
    {
        var size = await files.DeleteVideoAsync(avid, ct);
        var resource = await db.FindAsync(avid, ct);
        var reconciled = false;
        if (resource is { HasVideoColumns: true }) reconciled = resource.ClearVideo();
        if (size is not null || reconciled)
            await outbox.PublishEndpoint.Publish(new VideoFileChanged { Avid = avid.Value, Exists = false }, ct);
        await outbox.SaveChangesAsync(ct);
        return new Outcome(size, reconciled);
    }
}
