using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NasSav.Catalog.Data;

/// <summary>
/// One title in the library (the peer's AVResource). The lifecycle's changes are methods here, so each fact is
/// written in one place whichever path leads to it (download, import, repair, delete; add, refresh, translation).
/// The setters stay public for EF and for the user's own fields (watched, favourite).
/// </summary>
public sealed class Resource
{
    public long Id { get; set; }
    /// <summary>Normalised AVID (see Avid): unique, upper case.</summary>
    public required string Avid { get; set; }
    /// <summary>Japanese title from the metadata site; "" until scraped.</summary>
    public string OriginalTitle { get; set; } = "";

    /// <summary>
    /// The metadata step has put metadata on this row (its original title). A row without it (the step never ran,
    /// failed, or found nothing) is what an add resumes instead of answering "exists", and what the watchdog lists.
    /// </summary>
    public bool HasMetadata => OriginalTitle.Length > 0;

    /// <summary><see cref="HasMetadata"/> for queries.</summary>
    public static readonly System.Linq.Expressions.Expression<Func<Resource, bool>> WithoutMetadata = r => r.OriginalTitle == "";
    /// <summary>Title on the source site, prefixed with the AVID.</summary>
    public string? SourceTitle { get; set; }
    public string? TranslatedTitle { get; set; }
    public string TranslationStatus { get; set; } = TranslationStatuses.Pending;
    /// <summary>Why the last translation failed (the translator's reason, a fault, a timeout); cleared on success.</summary>
    public string? TranslationError { get; set; }
    /// <summary>Display name of the source ("MissAV", "Jable"...); "" when unknown.</summary>
    public string Source { get; set; } = "";
    /// <summary>YYYY-MM-DD or "".</summary>
    public string ReleaseDate { get; set; } = "";
    /// <summary>Seconds.</summary>
    public int? Duration { get; set; }
    /// <summary>The scraped metadata as JSON (director, studio, label, series, actor_avatars...).</summary>
    public string? Metadata { get; set; }
    public string? M3u8 { get; set; }
    /// <summary>The page the source step found the m3u8 on: the stream's Referer (and the cover's).</summary>
    public string? SourcePageUrl { get; set; }
    public string? CoverFilename { get; set; }
    public bool FileExists { get; set; }
    public long? FileSize { get; set; }
    public bool Watched { get; set; }
    public bool IsFavorite { get; set; }
    /// <summary>Set on creation (the peer never set it, breaking its default sort).</summary>
    public DateTime? MetadataCreatedAt { get; set; }
    /// <summary>Moves on every change that alters an API answer (see CatalogDbContext.SaveChanges).</summary>
    public DateTime MetadataUpdatedAt { get; set; }
    public DateTime? VideoSavedAt { get; set; }
    public DateTime CreatedAt { get; set; }

    public List<ResourceActor> ActorLinks { get; set; } = [];
    public List<ResourceGenre> GenreLinks { get; set; } = [];

    private static readonly JsonSerializerOptions MetadataJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The source step: only m3u8, source, source title, source page and the matching keys of the metadata JSON
    /// change; metadata, links and translation are left as they are (a refresh of the m3u8 alone keeps them).
    /// </summary>
    public void ApplySource(string source, string? sourceTitle, string m3u8, string? pageUrl)
    {
        Source = source;
        SourceTitle = SourceTitles.Normalize(Avid, sourceTitle);
        M3u8 = m3u8;
        SourcePageUrl = string.IsNullOrWhiteSpace(pageUrl) ? null : pageUrl;
        var metadata = ParseMetadata();
        metadata["m3u8"] = m3u8;
        metadata["source_title"] = SourceTitle;
        metadata["avid"] = Avid;
        metadata["source"] = source;
        Metadata = metadata.ToJsonString(MetadataJson);
    }

    /// <summary>The metadata step found the title: its fields and the metadata JSON. A changed title resets the translation.</summary>
    /// <returns>true when the original title changed (the old translation was of another title).</returns>
    public bool ApplyMetadata(string title, string? releaseDate, int? durationMinutes, JsonObject metadata)
    {
        title = title.Trim();
        var changed = OriginalTitle.Length > 0 && OriginalTitle != title;
        OriginalTitle = Clip(title, 512);
        ReleaseDate = releaseDate ?? "";
        Duration = durationMinutes is { } minutes and > 0 ? minutes * 60 : null;
        Metadata = metadata.ToJsonString(MetadataJson);
        if (changed) ResetTranslation();
        return changed;
    }

    /// <summary>The cover file the scraper stored (a missing one changes nothing).</summary>
    public void SetCover(string? fileName)
    {
        if (fileName is not null) CoverFilename = fileName;
    }

    public void ClearCover() => CoverFilename = null;

    // Translation: pending → translating → completed | failed, or skipped when there is nothing to translate.

    /// <summary>
    /// Marks the title as being translated and returns the text to translate (<see cref="TranslationInput.Of"/>);
    /// null, with the status "skipped", when there is none.
    /// </summary>
    public string? StartTranslation()
    {
        var text = TranslationInput.Of(Avid, OriginalTitle, SourceTitle);
        if (text is null)
        {
            TranslationStatus = TranslationStatuses.Skipped;
            TranslationError = null;
            return null;
        }
        TranslationStatus = TranslationStatuses.Translating;
        return text;
    }

    public void CompleteTranslation(string translated)
    {
        TranslatedTitle = Clip(translated, 512);
        TranslationStatus = TranslationStatuses.Completed;
        TranslationError = null;
    }

    /// <summary>Status "failed" with its reason kept (the translator's, a fault's, a timeout's) until a translation succeeds.</summary>
    public void FailTranslation(string? reason)
    {
        TranslationStatus = TranslationStatuses.Failed;
        TranslationError = Clip(string.IsNullOrWhiteSpace(reason) ? "翻译失败" : reason.Trim(), 1000);
    }

    /// <summary>The translation no longer applies (a new title, a retranslation): pending again.</summary>
    public void ResetTranslation()
    {
        TranslatedTitle = null;
        TranslationStatus = TranslationStatuses.Pending;
    }

    // The video. "Downloaded" is written here only: by a download's completion, an import and a repair.

    /// <summary>
    /// The video is in the media store. A video already recorded keeps its time (a size correction, a second
    /// report); a new one gets <paramref name="at"/>. A size or duration not measured (≤ 0) keeps the known one.
    /// </summary>
    public void MarkDownloaded(long? size, DateTime at, int? durationSeconds = null)
    {
        if (!FileExists || VideoSavedAt is null) VideoSavedAt = at;
        FileExists = true;
        if (size > 0) FileSize = size;
        if (durationSeconds > 0) Duration = durationSeconds;
    }

    /// <summary>The video is gone (deleted, or found missing).</summary>
    /// <returns>true when the row claimed a video.</returns>
    public bool ClearVideo()
    {
        var claimed = FileExists;
        FileExists = false;
        FileSize = null;
        VideoSavedAt = null;
        return claimed;
    }

    /// <summary>The row says anything about a video (downloaded, a size or a time).</summary>
    public bool HasVideoColumns => FileExists || FileSize is not null || VideoSavedAt is not null;

    private JsonObject ParseMetadata()
    {
        if (string.IsNullOrWhiteSpace(Metadata)) return [];
        try { return JsonNode.Parse(Metadata) as JsonObject ?? []; }
        catch (JsonException) { return []; }
    }

    private static string Clip(string s, int max) => s.Length > max ? s[..max] : s;
}

public static class TranslationStatuses
{
    public const string Pending = "pending";
    public const string Translating = "translating";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Skipped = "skipped";

    public static readonly IReadOnlyList<string> All = [Pending, Translating, Completed, Failed, Skipped];
}
