using MassTransit;
using Microsoft.EntityFrameworkCore;
using NasSav.Catalog.Data;
using NasSav.Catalog.Lifecycle;
using NasSav.Contracts.Lifecycle;
using NasSav.Media.Avids;
using NasSav.Media.Storage;

namespace NasSav.Catalog.Maintenance;

/// <summary>
/// A video the drop-folder importer has already moved to <c>video/{AVID}.mp4</c>. This consumer creates
/// nothing itself: a new AVID goes through the lifecycle saga's ordinary add (source, metadata, cover,
/// translation), and once the row exists it is marked downloaded here; VideoFileChanged then takes the lifecycle
/// from Ready to Downloaded (the row is the one home of "downloaded").
/// </summary>
public sealed class ImportVideoConsumer(CatalogDbContext db, LifecycleClient lifecycle, IMediaStore store) : IConsumer<ImportVideo>
{
    public async Task Consume(ConsumeContext<ImportVideo> context)
    {
        var ct = context.CancellationToken;
        if (!Avid.TryParse(context.Message.Avid, out var avid, out var error))
        {
            await context.RespondAsync(new VideoImported { Message = error });
            return;
        }
        var info = await store.GetInfoAsync(MediaKey.Video(avid), ct);
        if (info is null)
        {
            await context.RespondAsync(new VideoImported { Message = $"video/{avid}.mp4 is not in the media store" });
            return;
        }

        var created = false;
        if (!await db.Resources.AnyAsync(r => r.Avid == avid.Value, ct))
        {
            var outcome = await lifecycle.AddAsync(avid, "any", ct);
            created = outcome.Answer == LifecycleAnswer.Done;
            if (outcome.Answer is LifecycleAnswer.Failed or LifecycleAnswer.Error or LifecycleAnswer.NotFound)
            {
                await context.RespondAsync(new VideoImported { Message = $"adding {avid} failed ({outcome.Code}): {outcome.Message}", Retry = outcome.Code >= 500 });
                return;
            }
        }

        var resource = await db.Resources.FirstOrDefaultAsync(r => r.Avid == avid.Value, ct);
        if (resource is null)
        {
            await context.RespondAsync(new VideoImported { Retry = true, Message = $"{avid} is still being added" });
            return;
        }
        resource.MarkDownloaded(info.Size, db.UtcNow());
        await db.SaveChangesAsync(ct);
        await context.Publish(new VideoFileChanged { Avid = avid.Value, Exists = true }, ct);
        await context.RespondAsync(new VideoImported { Recorded = true, Created = created });
    }
}

public sealed class ImportVideoConsumerDefinition : ConsumerDefinition<ImportVideoConsumer>
{
    public ImportVideoConsumerDefinition()
    {
        // Each may wait for a whole add (source + metadata): a few at a time.
        ConcurrentMessageLimit = 2;
    }
}
