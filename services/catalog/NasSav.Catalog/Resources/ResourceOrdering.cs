using System.Linq.Expressions;
using NasSav.Catalog.Data;

namespace NasSav.Catalog.Resources;

/// <summary>
/// The sort fields of /resources/. <c>ordering</c> is a whitelist (the peer passed it to Django raw and
/// crashed on unknown fields). NULLs sort as SQLite does (first ascending, last descending) on both
/// providers; the id breaks ties so pages never overlap.
/// </summary>
public static class ResourceOrdering
{
    public const string DefaultOrdering = "-metadata_updated_at";

    /// <summary>sort_by values (the UI's names) → fields.</summary>
    public static readonly IReadOnlyDictionary<string, string> SortByFields = new Dictionary<string, string>
    {
        ["avid"] = "avid",
        ["metadata_create_time"] = "metadata_created_at",
        ["metadata_update_time"] = "metadata_updated_at",
        ["video_create_time"] = "video_saved_at",
        ["source"] = "source",
    };

    private static readonly Dictionary<string, Func<IQueryable<Resource>, bool, IOrderedQueryable<Resource>>> Fields = new()
    {
        ["id"] = (q, d) => By(q, r => r.Id, d),
        ["avid"] = (q, d) => By(q, r => r.Avid, d),
        ["original_title"] = (q, d) => By(q, r => r.OriginalTitle, d),
        ["source_title"] = (q, d) => ByNullable(q, r => r.SourceTitle, d),
        ["translated_title"] = (q, d) => ByNullable(q, r => r.TranslatedTitle, d),
        ["translation_status"] = (q, d) => By(q, r => r.TranslationStatus, d),
        ["source"] = (q, d) => By(q, r => r.Source, d),
        ["release_date"] = (q, d) => By(q, r => r.ReleaseDate, d),
        ["duration"] = (q, d) => ByNullable(q, r => r.Duration, d),
        ["file_exists"] = (q, d) => By(q, r => r.FileExists, d),
        ["file_size"] = (q, d) => ByNullable(q, r => r.FileSize, d),
        ["watched"] = (q, d) => By(q, r => r.Watched, d),
        ["is_favorite"] = (q, d) => By(q, r => r.IsFavorite, d),
        ["metadata_created_at"] = (q, d) => ByNullable(q, r => r.MetadataCreatedAt, d),
        ["metadata_updated_at"] = (q, d) => By(q, r => r.MetadataUpdatedAt, d),
        ["video_saved_at"] = (q, d) => ByNullable(q, r => r.VideoSavedAt, d),
        ["created_at"] = (q, d) => By(q, r => r.CreatedAt, d),
    };

    public static IEnumerable<string> KnownFields => Fields.Keys;

    public static bool IsKnown(string field) => Fields.ContainsKey(field);

    public static IOrderedQueryable<Resource> Apply(IQueryable<Resource> query, string field, bool descending)
    {
        var ordered = Fields[field](query, descending);
        return descending ? ordered.ThenByDescending(r => r.Id) : ordered.ThenBy(r => r.Id);
    }

    private static IOrderedQueryable<Resource> By<T>(IQueryable<Resource> q, Expression<Func<Resource, T>> key, bool descending) =>
        descending ? q.OrderByDescending(key) : q.OrderBy(key);

    private static IOrderedQueryable<Resource> ByNullable<T>(IQueryable<Resource> q, Expression<Func<Resource, T>> key, bool descending)
    {
        var isNull = Expression.Lambda<Func<Resource, bool>>(
            Expression.Equal(key.Body, Expression.Constant(null, key.Body.Type)), key.Parameters);
        return descending ? q.OrderBy(isNull).ThenByDescending(key) : q.OrderByDescending(isNull).ThenBy(key);
    }
}
