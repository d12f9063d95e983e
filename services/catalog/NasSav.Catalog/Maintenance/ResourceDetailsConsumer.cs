using MassTransit;
using Microsoft.EntityFrameworkCore;
using NasSav.Catalog.Data;
using NasSav.Catalog.Resources;
using NasSav.Catalog.Settings;
using NasSav.Contracts.Export;
using NasSav.Media.Avids;

namespace NasSav.Catalog.Maintenance;

/// <summary>What the media-server export (maintenance) needs of some titles: titles, credits, actors, files.</summary>
public sealed class ResourceDetailsConsumer(CatalogDbContext db) : IConsumer<GetResourceDetails>
{
    public const int MaxAvids = 200;
    private static readonly string[] ExtraKeys = ["director", "studio", "label", "series", "plot", "description"];

    public async Task Consume(ConsumeContext<GetResourceDetails> context)
    {
        var ct = context.CancellationToken;
        var avids = context.Message.Avids.Take(MaxAvids)
            .Select(a => Avid.TryParse(a, out var avid, out _) ? avid.Value : null)
            .OfType<string>().Distinct().ToList();
        var rows = await db.Resources.AsNoTracking()
            .Where(r => avids.Contains(r.Avid))
            .Include(r => r.ActorLinks).ThenInclude(l => l.Actor)
            .Include(r => r.GenreLinks).ThenInclude(l => l.Genre)
            .AsSplitQuery()
            .ToListAsync(ct);
        var display = await db.UserSettings.AsNoTracking().Where(s => s.Key == UserSettings.DisplayTitle).Select(s => s.Value).FirstOrDefaultAsync(ct)
            ?? UserSettings.All.First(s => s.Key == UserSettings.DisplayTitle).Default;
        await context.RespondAsync(new ResourceDetails { Resources = rows.Select(Detail).ToList(), DisplayTitle = display });
    }

    private static ResourceDetail Detail(Resource r)
    {
        var extra = ResourceMetadataEndpoint.ReadExtra(r.Metadata, ExtraKeys);
        return new ResourceDetail
        {
            Avid = r.Avid,
            OriginalTitle = r.OriginalTitle ?? "",
            SourceTitle = r.SourceTitle,
            TranslatedTitle = r.TranslatedTitle,
            Plot = extra.GetValueOrDefault("plot") ?? extra.GetValueOrDefault("description"),
            ReleaseDate = r.ReleaseDate ?? "",
            DurationSeconds = r.Duration,
            Studio = extra.GetValueOrDefault("studio"),
            Label = extra.GetValueOrDefault("label"),
            Series = extra.GetValueOrDefault("series"),
            Director = extra.GetValueOrDefault("director"),
            Genres = r.GenreLinks.Select(l => l.Genre.Name).Order(StringComparer.Ordinal).ToList(),
            Actors = r.ActorLinks.Select(l => l.Actor).OrderBy(a => a.Name, StringComparer.Ordinal).Select(a => new ResourceDetailActor
            {
                Id = a.Id,
                Name = a.Name,
                AvatarUrl = a.AvatarUrl is { Length: > 0 } url && !Actor.PlaceholderAvatarUrls.Contains(url) ? url : null,
                AvatarFilename = a.AvatarFilename,
            }).ToList(),
            CoverFilename = r.CoverFilename,
            FileExists = r.FileExists,
            FileSize = r.FileSize,
            VideoSavedAt = r.VideoSavedAt,
            CreatedAt = r.CreatedAt,
        };
    }
}
