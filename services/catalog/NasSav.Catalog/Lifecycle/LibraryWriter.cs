using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using NasSav.Catalog.Covers;
using NasSav.Catalog.Data;
using NasSav.Catalog.Resources;
using NasSav.Contracts.Scraping;
using NasSav.Media.Avids;
using NasSav.Media.Storage;

namespace NasSav.Catalog.Lifecycle;

/// <summary>
/// Applies the scraper's results to the library. It uses the request scope's <see cref="CatalogDbContext"/>,
/// the same one the EF saga repository saves: a step's rows and the saga's state commit together (nothing saves here).
/// </summary>
public sealed class LibraryWriter(CatalogDbContext db, CoverLocator covers, ILogger<LibraryWriter> logger)
{
    /// <summary>What the metadata step changed.</summary>
    public sealed record MetadataApplied(bool Found, bool OriginalTitleChanged);

    public Task<bool> ExistsAsync(string avid, CancellationToken ct) => db.Resources.AnyAsync(r => r.Avid == avid, ct);

    /// <summary>What the recovery paths need to know of a row: null when there is none.</summary>
    public sealed record RowState(bool HasMetadata, string Source, string? M3u8);

    public Task<RowState?> StateAsync(string avid, CancellationToken ct) =>
        db.Resources.AsNoTracking().Where(r => r.Avid == avid)
            .Select(r => new RowState(r.OriginalTitle != "", r.Source, r.M3u8)).FirstOrDefaultAsync(ct)!; // != "": Resource.HasMetadata

    /// <summary>The row's source page, including a row this step has just created (not saved yet).</summary>
    public async Task<string?> SourcePageUrlAsync(Avid avid, CancellationToken ct) => (await RowAsync(avid, ct))?.SourcePageUrl;

    /// <summary>The cookie store, keyed by lower-cased source name (what FetchSource carries).</summary>
    public async Task<IReadOnlyDictionary<string, string>> CookiesAsync(CancellationToken ct) =>
        await db.SourceCookies.AsNoTracking().Where(c => c.Cookie != "").ToDictionaryAsync(c => c.Source, c => c.Cookie, ct);

    /// <summary>
    /// The source step: creates the row (an add) or updates its source fields (a refresh). Only m3u8, source
    /// and source_title change; metadata, links and translation are left as they are.
    /// </summary>
    public async Task ApplySourceAsync(Avid avid, SourceResolved result, CancellationToken ct)
    {
        var row = await db.FindAsync(avid, ct);
        if (row is null)
        {
            row = new Resource { Avid = avid.Value, TranslationStatus = TranslationStatuses.Pending };
            db.Resources.Add(row);
        }
        row.ApplySource(result.Source, result.SourceTitle, result.M3u8, result.PageUrl);
    }

    /// <summary>
    /// The metadata step: titles, date, duration, the metadata JSON (the peer's AVDownloadInfo dict), actors
    /// with avatars and genres (links replaced, not added to), the cover file name.
    /// </summary>
    public async Task<MetadataApplied> ApplyMetadataAsync(Avid avid, MetadataScraped m, CancellationToken ct)
    {
        var row = await db.FindWithLinksAsync(avid, ct);
        if (row is null)
        {
            logger.LogWarning("Metadata for {Avid} arrived but its row is gone", avid);
            return new MetadataApplied(false, false);
        }
        var title = (m.Title ?? "").Trim();
        var actors = await LinkActorsAsync(row, m.Actors, ct);
        var genres = await LinkGenresAsync(row, m.Genres, ct);

        var metadata = new JsonObject
        {
            ["m3u8"] = row.M3u8,
            ["source_title"] = row.SourceTitle,
            ["avid"] = avid.Value,
            ["source"] = row.Source,
            ["title"] = title,
            ["release_date"] = m.ReleaseDate ?? "",
            ["duration"] = m.DurationMinutes is { } d ? d.ToString(CultureInfo.InvariantCulture) + "分钟" : "",
        };
        if (!string.IsNullOrEmpty(m.Director)) metadata["director"] = m.Director;
        metadata["studio"] = m.Studio ?? "";
        metadata["label"] = m.Label ?? "";
        metadata["series"] = m.Series ?? "";
        metadata["genres"] = new JsonArray(genres.Select(g => (JsonNode?)JsonValue.Create(g.Name)).ToArray());
        metadata["actors"] = new JsonArray(actors.Select(a => (JsonNode?)JsonValue.Create(a.Name)).ToArray());
        var avatars = new JsonObject();
        foreach (var actor in m.Actors)
            if (UsableAvatarUrl(actor.AvatarUrl) is { } url) avatars[actor.Name.Trim()] = url;
        metadata["actor_avatars"] = avatars;
        if (!string.IsNullOrEmpty(m.CoverUrl)) metadata["cover_url"] = m.CoverUrl;
        metadata["site"] = m.Site;
        var titleChanged = row.ApplyMetadata(title, m.ReleaseDate, m.DurationMinutes, metadata);

        var cover = await covers.FindAsync(avid, ct);
        row.SetCover(cover?.Key.FileName);
        return new MetadataApplied(true, titleChanged);
    }

    /// <summary>No metadata: stored metadata stays; the cover (the source's, as a fallback) may be new.</summary>
    public async Task ApplyNoMetadataAsync(Avid avid, CancellationToken ct)
    {
        var row = await db.FindAsync(avid, ct);
        if (row is null) return;
        row.SetCover((await covers.FindAsync(avid, ct))?.Key.FileName);
    }

    /// <summary>The row of <paramref name="avid"/>, tracked (its changes commit with the saga's), including one this step created; null when there is none.</summary>
    public async Task<Resource?> RowAsync(Avid avid, CancellationToken ct) =>
        db.Resources.Local.FirstOrDefault(r => r.Avid == avid.Value) ?? await db.FindAsync(avid, ct);

    /// <summary>Applies <paramref name="change"/> to the row, when there is one (a deleted row has nothing to change).</summary>
    public async Task<T?> ChangeAsync<T>(Avid avid, Func<Resource, T> change, CancellationToken ct) =>
        await RowAsync(avid, ct) is { } row ? change(row) : default;

    public async Task ChangeAsync(Avid avid, Action<Resource> change, CancellationToken ct)
    {
        if (await RowAsync(avid, ct) is { } row) change(row);
    }

    /// <summary>Creates missing actors by unique name (INSERT … ON CONFLICT DO NOTHING: safe against a concurrent add) and makes them the row's only actors.</summary>
    private async Task<List<Actor>> LinkActorsAsync(Resource row, IReadOnlyList<ScrapedActor> scraped, CancellationToken ct)
    {
        var wanted = scraped
            .Where(a => !string.IsNullOrWhiteSpace(a.Name))
            .GroupBy(a => Clip(a.Name.Trim(), 200))
            .Select(g => (Name: g.Key, Url: g.Select(a => UsableAvatarUrl(a.AvatarUrl)).FirstOrDefault(u => u is not null),
                File: g.Select(a => a.AvatarFile).FirstOrDefault(f => f is not null && MediaKey.TryAvatar(f, out _))))
            .ToList();
        var names = wanted.Select(w => w.Name).ToList();
        var now = db.UtcNow();
        foreach (var name in names)
            await db.Database.ExecuteSqlInterpolatedAsync($"INSERT INTO actors (name, updated_at) VALUES ({name}, {now}) ON CONFLICT (name) DO NOTHING", ct);
        var actors = names.Count == 0 ? [] : await db.Actors.Where(a => names.Contains(a.Name)).ToListAsync(ct);
        var byName = actors.ToDictionary(a => a.Name, StringComparer.Ordinal);
        foreach (var w in wanted)
        {
            if (!byName.TryGetValue(w.Name, out var actor)) continue;
            // New information replaces old; a scrape without an avatar does not erase a known one.
            if (w.Url is not null && actor.AvatarUrl != w.Url) actor.AvatarUrl = w.Url;
            if (w.File is not null && actor.AvatarFilename != w.File) actor.AvatarFilename = w.File;
        }
        var ids = actors.Select(a => a.Id).ToHashSet();
        row.ActorLinks.RemoveAll(l => !ids.Contains(l.ActorId));
        foreach (var actor in actors.Where(a => row.ActorLinks.All(l => l.ActorId != a.Id)))
            row.ActorLinks.Add(new ResourceActor { ResourceId = row.Id, Resource = row, ActorId = actor.Id, Actor = actor });
        return names.Select(n => byName[n]).ToList();
    }

    private async Task<List<Genre>> LinkGenresAsync(Resource row, IReadOnlyList<string> scraped, CancellationToken ct)
    {
        var names = scraped.Where(g => !string.IsNullOrWhiteSpace(g)).Select(g => Clip(g.Trim(), 100)).Distinct(StringComparer.Ordinal).ToList();
        foreach (var name in names)
            await db.Database.ExecuteSqlInterpolatedAsync($"INSERT INTO genres (name) VALUES ({name}) ON CONFLICT (name) DO NOTHING", ct);
        var genres = names.Count == 0 ? [] : await db.Genres.Where(g => names.Contains(g.Name)).ToListAsync(ct);
        var ids = genres.Select(g => g.Id).ToHashSet();
        row.GenreLinks.RemoveAll(l => !ids.Contains(l.GenreId));
        foreach (var genre in genres.Where(g => row.GenreLinks.All(l => l.GenreId != g.Id)))
            row.GenreLinks.Add(new ResourceGenre { ResourceId = row.Id, Resource = row, GenreId = genre.Id, Genre = genre });
        var byName = genres.ToDictionary(g => g.Name, StringComparer.Ordinal);
        return names.Select(n => byName[n]).ToList();
    }

    private static string? UsableAvatarUrl(string? url) =>
        string.IsNullOrWhiteSpace(url) || Actor.PlaceholderAvatarUrls.Contains(url.Trim()) ? null : Clip(url.Trim(), 1000);

    private static string Clip(string s, int max) => s.Length > max ? s[..max] : s;

}
