using NasSav.Media.Storage;

namespace NasSav.Maintenance.Export;

/// <summary>
/// Puts the library's video into a title folder without ever moving it out of the library: a hard link (no space
/// used; <see cref="ExportLinkMode.Auto"/> copies when the export is on another file system or the store is not a
/// local folder), a copy, or a symbolic link. Always through a temporary name and a rename over the old file.
/// </summary>
public static class VideoPlacement
{
    public const string HardLinked = "hardlink", Copied = "copy", SymLinked = "symlink";

    /// <returns>How it was placed: <see cref="HardLinked"/>, <see cref="Copied"/> or <see cref="SymLinked"/>.</returns>
    public static async Task<string> PlaceAsync(IMediaStore store, MediaKey video, string target, ExportLinkMode mode, CancellationToken ct)
    {
        var local = store.TryGetLocalPath(video);
        var temp = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.partial");
        try
        {
            string how;
            switch (mode)
            {
                case ExportLinkMode.Symlink:
                    File.CreateSymbolicLink(temp, local ?? throw new IOException($"{video} is not a local file: Symlink needs a folder media store"));
                    how = SymLinked;
                    break;
                case ExportLinkMode.HardLink:
                case ExportLinkMode.Auto when local is not null:
                    var outcome = local is null ? HardLink.Outcome.Failed : HardLink.TryCreate(local, temp);
                    if (outcome == HardLink.Outcome.Linked) { how = HardLinked; break; }
                    if (mode == ExportLinkMode.HardLink)
                        throw new IOException(outcome == HardLink.Outcome.CrossDevice
                            ? $"cannot hard-link {local} into {Path.GetDirectoryName(target)}: another file system (Link: Auto copies instead)"
                            : $"cannot hard-link {(local ?? video.Value)} into {Path.GetDirectoryName(target)} (Link: Auto copies instead)");
                    await CopyAsync(store, video, temp, ct);
                    how = Copied;
                    break;
                default:
                    await CopyAsync(store, video, temp, ct);
                    how = Copied;
                    break;
            }
            File.Move(temp, target, overwrite: true);
            return how;
        }
        finally
        {
            if (File.Exists(temp) || IsLink(temp)) File.Delete(temp);
        }
    }

    private static bool IsLink(string path)
    {
        try { return new FileInfo(path).LinkTarget is not null; }
        catch (IOException) { return false; }
    }

    private static async Task CopyAsync(IMediaStore store, MediaKey video, string temp, CancellationToken ct)
    {
        await using var source = await store.OpenReadAsync(video, ct) ?? throw new FileNotFoundException($"{video} is not in the media store");
        await using var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, useAsync: true);
        await source.CopyToAsync(file, 1 << 20, ct);
    }
}
