using NasSav.Media.Avids;
using NasSav.Media.Storage;

namespace NasSav.Catalog.Resources;

/// <summary>
/// Every file a resource can have, and their removal. Unlike the peer, the saved source page
/// (cover/{AVID}.html) and the thumbnails are included wherever a resource is deleted.
/// </summary>
public sealed class ResourceFiles(IMediaStore store)
{
    /// <summary>Each key with the label the peer's deleted_files used ("X.jpg", "thumbnail/small/X.jpg", "X.mp4").</summary>
    public static IEnumerable<(MediaKey Key, string Label)> All(Avid avid)
    {
        foreach (var extension in MediaKey.CoverExtensions)
            yield return (MediaKey.Cover(avid, extension), avid.Value + extension);
        yield return (MediaKey.SourcePage(avid), avid.Value + ".html");
        foreach (var size in Enum.GetValues<ThumbnailSize>())
            yield return (MediaKey.Thumbnail(size, avid), $"thumbnail/{size.ToString().ToLowerInvariant()}/{avid.Value}.jpg");
        yield return (MediaKey.Video(avid), avid.Value + ".mp4");
    }

    /// <returns>The labels of the files that existed and were deleted.</returns>
    public async Task<List<string>> DeleteAllAsync(Avid avid, CancellationToken ct)
    {
        var deleted = new List<string>();
        foreach (var (key, label) in All(avid))
            if (await store.DeleteAsync(key, ct)) deleted.Add(label);
        return deleted;
    }

    /// <returns>The deleted video's size, or null when there was no video file.</returns>
    public async Task<long?> DeleteVideoAsync(Avid avid, CancellationToken ct)
    {
        var key = MediaKey.Video(avid);
        var info = await store.GetInfoAsync(key, ct);
        if (info is null) return null;
        return await store.DeleteAsync(key, ct) ? info.Size : null;
    }
}
