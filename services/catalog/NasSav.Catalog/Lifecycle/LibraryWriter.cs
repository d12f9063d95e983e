using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using NasSav.Catalog.Covers;
using NasSav.Catalog.Data;
using NasSav.Catalog.Resources;
using NasSav.Contracts.Scraping;
using NasSav.ServiceDefaults.Avids;
using NasSav.ServiceDefaults.Storage;

namespace NasSav.Catalog.Lifecycle;

/// <summary>
/// Applies the scraper's results to the library. It uses the request scope's <see cref="CatalogDbContext"/>,
/// the same one the EF saga repository saves: a step's rows and the saga's state commit together (nothing saves here).
/// </summary>
public sealed class LibraryWriter(CatalogDbContext db, CoverLocator covers, ILogger<LibraryWriter> logger)
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>What the metadata step changed; <see cref="CoverStored"/>: a new cover wants its thumbnails.</summary>
    public sealed record MetadataApplied(bool Found, bool OriginalTitleChanged, bool CoverStored = false);

    public Task<bool> ExistsAsync(string avid, CancellationToken ct) => db.Resources.AnyAsync(r => r.Avid == avid, ct);

    /// <summary>What the recovery paths need to know of a row: null when there is none.</summary>
    public sealed record RowState(bool HasMetadata, string Source, string? M3u8);

    public Task<RowState?> StateAsync(string avid, CancellationToken ct) =>
        db.Resources.AsNoTracking().Where(r => r.Avid == avid)
            .Select(r => new RowState(r.OriginalTitle != "", r.Source, r.M3u8)).FirstOrDefaultAsync(ct)!; // != "": Resource.HasMetadata

    /// <summary>The row's source page, including a row this step has just created (not saved yet).</summary>
    public async Task<string?> SourcePageUrlAsync(Avid avid, CancellationToken ct) =>
        (db.Resources.Local.FirstOrDefault(r => r.Avid == avid.Value) ?? await db.FindAsync(avid, ct))?.SourcePageUrl;

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
        row.Source = result.Source;
        row.SourceTitle = SourceTitles.Normalize(avid.Value, result.SourceTitle);
        row.M3u8 = result.M3u8;
        row.SourcePageUrl = string.IsNullOrWhiteSpace(result.PageUrl) ? null : result.PageUrl;
        var metadata = ParseObject(row.Metadata);
        metadata["m3u8"] = result.M3u8;
        metadata["source_title"] = row.SourceTitle;
        metadata["avid"] = avid.Value;
        metadata["source"] = result.Source;
        row.Metadata = metadata.ToJsonString(Json);
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
        var previousTitle = row.OriginalTitle ?? "";
        var title = (m.Title ?? "").Trim();
        var titleChanged = previousTitle.Length > 0 && previousTitle != title;
        row.OriginalTitle = title.Length > 512 ? title[..512] : title;
        row.ReleaseDate = m.ReleaseDate ?? "";
        row.Duration = m.DurationMinutes is { } minutes and > 0 ? minutes * 60 : null;
        if (titleChanged)
        {
            // The old translation was of another title.
            row.TranslatedTitle = null;
            row.TranslationStatus = TranslationStatuses.Pending;
        }

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
        row.Metadata = metadata.ToJsonString(Json);

        var cover = await covers.FindAsync(avid, ct);
        if (cover is not null) row.CoverFilename = cover.Key.FileName;
        return new MetadataApplied(true, titleChanged, m.CoverSaved && cover is not null);
    }

    /// <summary>No metadata: stored metadata stays; the cover (the source's, as a fallback) may be new.</summary>
    /// <returns>true when a new cover wants its thumbnails.</returns>
    public async Task<bool> ApplyNoMetadataAsync(Avid avid, bool coverSaved, CancellationToken ct)
    {
        var row = await db.FindAsync(avid, ct);
        if (row is null) return false;
        var cover = await covers.FindAsync(avid, ct);
        if (cover is not null && row.CoverFilename != cover.Key.FileName)
            row.CoverFilename = cover.Key.FileName;
        return coverSaved && cover is not null;
    }

    /// <summary>
    /// Marks the title as being translated and returns the text to translate: the original title, else the
    /// source title without its AVID prefix (the peer sent "ABC-123 中文标题"). Null, with the status
    /// "skipped", when there is none.
    /// </summary>
    public async Task<string?> MarkTranslatingAsync(Avid avid, CancellationToken ct)
    {
        var row = await db.FindAsync(avid, ct);
        if (row is null) return null;
        var text = TranslationInput.Of(row.Avid, row.OriginalTitle, row.SourceTitle);
        if (text is null)
        {
            row.TranslationStatus = TranslationStatuses.Skipped;
            row.TranslationError = null;
            return null;
        }
        row.TranslationStatus = TranslationStatuses.Translating;
        return text;
    }

    public Task SetTranslationAsync(Avid avid, string translated, CancellationToken ct) =>
        UpdateAsync(avid, r =>
        {
            r.TranslatedTitle = translated.Length > 512 ? translated[..512] : translated;
            r.TranslationStatus = TranslationStatuses.Completed;
            r.TranslationError = null;
        }, ct);

    /// <summary>Status "failed" with its reason kept (the translator's, a fault's, a timeout's) until a translation succeeds.</summary>
    public Task SetTranslationFailedAsync(Avid avid, string reason, CancellationToken ct) =>
        UpdateAsync(avid, r =>
        {
            r.TranslationStatus = TranslationStatuses.Failed;
            var text = string.IsNullOrWhiteSpace(reason) ? "翻译失败" : reason.Trim();
            r.TranslationError = text.Length > 1000 ? text[..1000] : text;
        }, ct);

    public Task ResetTranslationAsync(Avid avid, CancellationToken ct) =>
        UpdateAsync(avid, r =>
        {
            r.TranslatedTitle = null;
            r.TranslationStatus = TranslationStatuses.Pending;
        }, ct);

    private async Task UpdateAsync(Avid avid, Action<Resource> change, CancellationToken ct)
    {
        var row = await db.FindAsync(avid, ct);
        if (row is null) return;
        change(row);
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

    private static JsonObject ParseObject(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return [];
        try { return JsonNode.Parse(json) as JsonObject ?? []; }
        catch (JsonException) { return []; }
    }

}

/// <summary>What the translator gets for a title.</summary>
public static class TranslationInput
{
    private static readonly char[] Separators = [' ', '\t', '\u3000', '-', '_', ':', '：', '|', '｜', '·', '・', '.', ',', '，', '、', '/', '~', '～', '–', '—'];

    /// <summary>The original title, else the source title without its leading AVID and separators; null when nothing is left.</summary>
    public static string? Of(string avid, string? originalTitle, string? sourceTitle)
    {
        if (!string.IsNullOrWhiteSpace(originalTitle)) return originalTitle.Trim();
        var rest = WithoutAvid(avid, sourceTitle);
        return string.IsNullOrWhiteSpace(rest) ? null : rest;
    }

    /// <summary>"ABC-123 中文标题", "[ABC-123] 中文标题", "abc-123：中文标题" → "中文标题"; a title without the AVID is only trimmed.</summary>
    public static string WithoutAvid(string avid, string? title)
    {
        var t = (title ?? "").Trim();
        var bracketed = t.Length > 0 && t[0] is '[' or '【' or '(' or '（';
        var body = bracketed ? t[1..].TrimStart() : t;
        if (!body.StartsWith(avid, StringComparison.OrdinalIgnoreCase)) return t;
        var rest = body[avid.Length..];
        if (bracketed && rest.Length > 0 && rest[0] is ']' or '】' or ')' or '）') rest = rest[1..];
        else if (rest.Length > 0 && char.IsLetterOrDigit(rest[0])) return t; // ABC-1234 is not ABC-123
        return rest.TrimStart(Separators).Trim();
    }
}

/// <summary>The peer's normalize_source_title: a source title always starts with its AVID.</summary>
public static class SourceTitles
{
    public static string? Normalize(string avid, string? title)
    {
        if (string.IsNullOrEmpty(title)) return title;
        var trimmed = title.Trim();
        if (trimmed.Length == 0) return trimmed;
        var normalized = trimmed.ToUpperInvariant().StartsWith(avid.ToUpperInvariant(), StringComparison.Ordinal) ? trimmed : $"{avid} {trimmed}";
        return normalized.Length > 512 ? normalized[..512] : normalized;
    }
}
