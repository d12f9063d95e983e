using NasSav.Media.Avids;
using NasSav.Media.Storage;

namespace NasSav.Catalog.Covers;

/// <summary>Finds a resource's original cover: cover/{AVID} with .jpg, .jpeg, .png, .webp in that order.</summary>
public sealed class CoverLocator(IMediaStore store)
{
    public async Task<MediaInfo?> FindAsync(Avid avid, CancellationToken ct = default)
    {
        foreach (var extension in MediaKey.CoverExtensions)
        {
            var info = await store.GetInfoAsync(MediaKey.Cover(avid, extension), ct);
            if (info is not null) return info;
        }
        return null;
    }

    /// <summary>The list/preview thumbnail URL; <c>&amp;v=</c> (cover mtime, seconds) only when a cover exists.</summary>
    public static string ThumbnailUrl(Avid avid, string size, MediaInfo? cover) =>
        cover is null
            ? $"/nassav/api/resource/cover?avid={avid.Value}&size={size}"
            : $"/nassav/api/resource/cover?avid={avid.Value}&size={size}&v={cover.LastModified.ToUnixTimeSeconds()}";
}
