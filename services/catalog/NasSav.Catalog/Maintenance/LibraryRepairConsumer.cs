using MassTransit;
using Microsoft.EntityFrameworkCore;
using NasSav.Catalog.Covers;
using NasSav.Catalog.Data;
using NasSav.Catalog.Thumbnails;
using NasSav.Contracts.Lifecycle;
using NasSav.Contracts.Maintenance;
using NasSav.Media.Avids;
using NasSav.Media.Storage;

namespace NasSav.Catalog.Maintenance;

/// <summary>Repairs the consistency checks ask for; each answers <see cref="RepairApplied"/>.</summary>
public sealed class LibraryRepairConsumer(CatalogDbContext db, CoverLocator covers, ThumbnailService thumbnails, IMediaStore store) :
    IConsumer<SetVideoFile>, IConsumer<ClearCoverFilename>, IConsumer<RegenerateThumbnails>, IConsumer<SetActorAvatar>
{
    public async Task Consume(ConsumeContext<SetVideoFile> context)
    {
        var m = context.Message;
        var resource = await FindAsync(m.Avid, context.CancellationToken);
        if (resource is null) { await context.RespondAsync(NotFound(m.Avid)); return; }
        // A size-only difference keeps the original download time (the peer overwrote it).
        if (m.Exists) resource.MarkDownloaded(m.Size, m.SavedAt ?? db.UtcNow());
        else resource.ClearVideo();
        await db.SaveChangesAsync(context.CancellationToken);
        await context.Publish(new VideoFileChanged { Avid = resource.Avid, Exists = m.Exists }, context.CancellationToken);
        await context.RespondAsync(new RepairApplied { Applied = true });
    }

    public async Task Consume(ConsumeContext<ClearCoverFilename> context)
    {
        var resource = await FindAsync(context.Message.Avid, context.CancellationToken);
        if (resource is null) { await context.RespondAsync(NotFound(context.Message.Avid)); return; }
        resource.ClearCover();
        await db.SaveChangesAsync(context.CancellationToken);
        await context.RespondAsync(new RepairApplied { Applied = true });
    }

    public async Task Consume(ConsumeContext<RegenerateThumbnails> context)
    {
        if (!Avid.TryParse(context.Message.Avid, out var avid, out var error))
        {
            await context.RespondAsync(new RepairApplied { Error = error });
            return;
        }
        var cover = await covers.FindAsync(avid, context.CancellationToken);
        if (cover is null)
        {
            await context.RespondAsync(new RepairApplied { Error = $"{avid} has no cover to make thumbnails from" });
            return;
        }
        var failed = new List<string>();
        foreach (var size in Enum.GetValues<ThumbnailSize>())
        {
            if (await thumbnails.GetOrCreateAsync(avid, cover, size, context.CancellationToken) is null)
                failed.Add(size.ToString().ToLowerInvariant());
        }
        await context.RespondAsync(failed.Count == 0
            ? new RepairApplied { Applied = true }
            : new RepairApplied { Error = $"thumbnails not made: {string.Join(", ", failed)}" });
    }

    public async Task Consume(ConsumeContext<SetActorAvatar> context)
    {
        var m = context.Message;
        if (m.AvatarFilename is not null && !MediaKey.TryAvatar(m.AvatarFilename, out _))
        {
            await context.RespondAsync(new RepairApplied { Error = $"unsafe avatar file name '{m.AvatarFilename}'" });
            return;
        }
        var actor = await db.Actors.FirstOrDefaultAsync(a => a.Id == m.ActorId, context.CancellationToken);
        if (actor is null)
        {
            await context.RespondAsync(new RepairApplied { Error = $"actor {m.ActorId} not found" });
            return;
        }
        if (m.AvatarFilename is not null && MediaKey.TryAvatar(m.AvatarFilename, out var key)
            && await store.GetInfoAsync(key, context.CancellationToken) is null)
        {
            await context.RespondAsync(new RepairApplied { Error = $"avatar/{m.AvatarFilename} is not in the media store" });
            return;
        }
        actor.AvatarFilename = m.AvatarFilename;
        await db.SaveChangesAsync(context.CancellationToken);
        await context.RespondAsync(new RepairApplied { Applied = true });
    }

    private async Task<Resource?> FindAsync(string raw, CancellationToken ct) =>
        Avid.TryParse(raw, out var avid, out _)
            ? await db.Resources.FirstOrDefaultAsync(r => r.Avid == avid.Value, ct)
            : null;

    private static RepairApplied NotFound(string avid) => new() { Error = $"{avid} is not in the library" };
}
