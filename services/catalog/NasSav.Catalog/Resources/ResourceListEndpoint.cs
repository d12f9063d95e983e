using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using NasSav.Catalog.Covers;
using NasSav.Catalog.Data;
using NasSav.Catalog.Http;
using NasSav.Media.Avids;
using NasSav.ServiceDefaults.Http;

namespace NasSav.Catalog.Resources;

/// <summary>GET /resources/: the library, filtered, sorted and paged, as shape S items.</summary>
public static class ResourceListEndpoint
{
    // Member-init so EF translates the projection (with the genre names as a sub-collection).
    private sealed class Row
    {
        public string Avid { get; init; } = "";
        public string OriginalTitle { get; init; } = "";
        public string? SourceTitle { get; init; }
        public string? TranslatedTitle { get; init; }
        public string Source { get; init; } = "";
        public string ReleaseDate { get; init; } = "";
        public bool FileExists { get; init; }
        public bool Watched { get; init; }
        public bool IsFavorite { get; init; }
        public DateTime? MetadataCreatedAt { get; init; }
        public DateTime MetadataUpdatedAt { get; init; }
        public DateTime? VideoSavedAt { get; init; }
        public List<string> Genres { get; init; } = [];
    }

    public static IEndpointRouteBuilder MapResourceList(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet($"{ApiPipeline.ApiPrefix}/resources", List);
        return endpoints;
    }

    private static async Task<IResult> List(HttpRequest request, CatalogDbContext db, CoverLocator covers, CancellationToken ct)
    {
        var query = ResourceListQuery.Read(request, out var reader);
        if (query is null) return reader.ErrorResult;

        var rows = query.Apply(db.Resources.AsNoTracking()).Select(r => new Row
        {
            Avid = r.Avid,
            OriginalTitle = r.OriginalTitle,
            SourceTitle = r.SourceTitle,
            TranslatedTitle = r.TranslatedTitle,
            Source = r.Source,
            ReleaseDate = r.ReleaseDate,
            FileExists = r.FileExists,
            Watched = r.Watched,
            IsFavorite = r.IsFavorite,
            MetadataCreatedAt = r.MetadataCreatedAt,
            MetadataUpdatedAt = r.MetadataUpdatedAt,
            VideoSavedAt = r.VideoSavedAt,
            Genres = r.GenreLinks.OrderBy(l => l.Genre.Name).Select(l => l.Genre.Name).ToList(),
        });
        var (page, pagination) = await Paging.PageAsync(rows, query.Paging, ct);

        var items = new List<ResourceSummary>(page.Count);
        foreach (var r in page)
            items.Add(new ResourceSummary(
                r.Avid, r.OriginalTitle ?? "", r.SourceTitle, r.TranslatedTitle, r.Source ?? "", r.ReleaseDate ?? "",
                r.FileExists, r.Watched, r.IsFavorite,
                Times.EpochSeconds(r.MetadataCreatedAt), Times.EpochSeconds(r.MetadataUpdatedAt), Times.EpochSeconds(r.VideoSavedAt),
                r.Genres, await ThumbnailUrlAsync(covers, r.Avid, "medium", ct)));
        return ApiResults.Paged(items, pagination);
    }

    /// <summary>The cover URL with a cache-busting version when the cover exists.</summary>
    public static async Task<string> ThumbnailUrlAsync(CoverLocator covers, string storedAvid, string size, CancellationToken ct)
    {
        // Rows imported from elsewhere may hold an AVID we would not accept; they still get a URL.
        if (!Avid.TryParse(storedAvid, out var avid, out _))
            return $"{ApiPipeline.ApiPrefix}/resource/cover?avid={Uri.EscapeDataString(storedAvid)}&size={size}";
        return CoverLocator.ThumbnailUrl(avid, size, await covers.FindAsync(avid, ct));
    }
}
