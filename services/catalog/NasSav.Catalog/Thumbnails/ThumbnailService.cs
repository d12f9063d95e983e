using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NasSav.Media.Avids;
using NasSav.Media.Storage;

namespace NasSav.Catalog.Thumbnails;

/// <summary>
/// thumbnails/{size}/{AVID}.jpg: served when present and not older than the cover, otherwise made
/// (once, however many requests ask at the same time) and written through the media store, which
/// moves a finished file into place so a reader never sees half a thumbnail.
/// </summary>
public sealed class ThumbnailService(
    IMediaStore store,
    IThumbnailer thumbnailer,
    IHostApplicationLifetime lifetime,
    ILogger<ThumbnailService> logger)
{
    private readonly KeyedAsyncLock _locks = new();
    private int _generated;

    /// <summary>Thumbnails made since start (tests check that concurrent requests make one).</summary>
    internal int GeneratedCount => Volatile.Read(ref _generated);

    internal int LockCount => _locks.Count;

    public static int WidthOf(ThumbnailSize size) => size switch
    {
        ThumbnailSize.Small => 200,
        ThumbnailSize.Medium => 600,
        ThumbnailSize.Large => 1200,
        _ => throw new ArgumentOutOfRangeException(nameof(size), size, null),
    };

    public static bool TryParseSize(string? raw, out ThumbnailSize size)
    {
        switch (raw?.ToLowerInvariant())
        {
            case "small": size = ThumbnailSize.Small; return true;
            case "medium": size = ThumbnailSize.Medium; return true;
            case "large": size = ThumbnailSize.Large; return true;
            default: size = default; return false;
        }
    }

    /// <summary>The current thumbnail of <paramref name="cover"/>, or null when it could not be made (the caller serves the cover).</summary>
    public async Task<MediaInfo?> GetOrCreateAsync(Avid avid, MediaInfo cover, ThumbnailSize size, CancellationToken ct = default)
    {
        var key = MediaKey.Thumbnail(size, avid);
        var current = await store.GetInfoAsync(key, ct);
        if (IsFresh(current, cover)) return current;

        using (await _locks.AcquireAsync(key.Value, ct))
        {
            // Whoever held the lock before us may have just made it.
            current = await store.GetInfoAsync(key, ct);
            if (IsFresh(current, cover)) return current;
            try
            {
                // Not the request's token: others wait on this result, and a client that leaves
                // should not waste the work. The thumbnailer's timeout bounds it; shutdown stops it.
                var made = await GenerateAsync(key, cover, WidthOf(size), lifetime.ApplicationStopping);
                Interlocked.Increment(ref _generated);
                return made;
            }
            catch (Exception ex) when (ex is ThumbnailException or IOException or UnauthorizedAccessException)
            {
                logger.LogWarning(ex, "Could not make the {Size} thumbnail of {Avid} from {Cover}; serving the original: {Reason}",
                    size, avid, cover.Key, ex.Message);
                return null;
            }
        }
    }

    private static bool IsFresh(MediaInfo? thumbnail, MediaInfo cover) =>
        thumbnail is not null && thumbnail.Size > 0 && thumbnail.LastModified >= cover.LastModified;

    private async Task<MediaInfo> GenerateAsync(MediaKey key, MediaInfo cover, int width, CancellationToken ct)
    {
        var work = Directory.CreateTempSubdirectory("nassav-thumb-");
        try
        {
            var input = store.TryGetLocalPath(cover.Key);
            if (input is null || !File.Exists(input))
            {
                // A store without local files (S3): ffmpeg needs a path, so copy the cover out first.
                input = Path.Combine(work.FullName, "cover" + Path.GetExtension(cover.Key.FileName));
                await using var source = await store.OpenReadAsync(cover.Key, ct)
                    ?? throw new ThumbnailException($"cover {cover.Key} disappeared before its thumbnail was made");
                await using var copy = new FileStream(input, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
                await source.CopyToAsync(copy, ct);
            }

            var output = Path.Combine(work.FullName, "thumbnail.jpg");
            await thumbnailer.CreateAsync(input, output, width, ct);
            await using var result = new FileStream(output, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
            return await store.WriteAsync(key, result, ct);
        }
        finally
        {
            try { work.Delete(recursive: true); }
            catch (IOException ex) { logger.LogDebug(ex, "Could not remove {Folder}", work.FullName); }
        }
    }
}
