using MassTransit;
using Microsoft.EntityFrameworkCore;
using NasSav.Catalog.Data;
using NasSav.Contracts.Maintenance;

namespace NasSav.Catalog.Maintenance;

/// <summary>Pages of the library for maintenance (checks, AVID list backups), in id order.</summary>
public sealed class LibraryInventoryConsumer(CatalogDbContext db) : IConsumer<GetLibraryInventory>
{
    public const int MaxLimit = 2000;

    public async Task Consume(ConsumeContext<GetLibraryInventory> context)
    {
        var limit = Math.Clamp(context.Message.Limit, 1, MaxLimit);
        var rows = await db.Resources.AsNoTracking()
            .Where(r => r.Id > context.Message.AfterId)
            .OrderBy(r => r.Id)
            .Take(limit)
            .Select(r => new InventoryResource
            {
                Id = r.Id, Avid = r.Avid, CoverFilename = r.CoverFilename, FileExists = r.FileExists,
                FileSize = r.FileSize, VideoSavedAt = r.VideoSavedAt,
            })
            .ToListAsync(context.CancellationToken);
        await context.RespondAsync(new LibraryInventory
        {
            Resources = rows,
            NextAfterId = rows.Count == limit ? rows[^1].Id : null,
        });
    }
}

public sealed class ActorInventoryConsumer(CatalogDbContext db) : IConsumer<GetActorInventory>
{
    public async Task Consume(ConsumeContext<GetActorInventory> context)
    {
        var limit = Math.Clamp(context.Message.Limit, 1, LibraryInventoryConsumer.MaxLimit);
        var rows = await db.Actors.AsNoTracking()
            .Where(a => a.Id > context.Message.AfterId)
            .OrderBy(a => a.Id)
            .Take(limit)
            .Select(a => new { a.Id, a.Name, a.AvatarUrl, a.AvatarFilename })
            .ToListAsync(context.CancellationToken);
        await context.RespondAsync(new ActorInventory
        {
            Actors = rows.Select(a => new InventoryActor
            {
                Id = a.Id, Name = a.Name, AvatarUrl = a.AvatarUrl, AvatarFilename = a.AvatarFilename,
                Placeholder = a.AvatarUrl is not null && Actor.PlaceholderAvatarUrls.Contains(a.AvatarUrl),
            }).ToList(),
            NextAfterId = rows.Count == limit ? rows[^1].Id : null,
        });
    }
}
