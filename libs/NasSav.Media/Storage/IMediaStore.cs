namespace NasSav.Media.Storage;

public sealed record MediaInfo(MediaKey Key, long Size, DateTimeOffset LastModified)
{
    /// <summary>Nanosecond-precision modification stamp, the ETag basis (as the peer's st_mtime_ns).</summary>
    public long LastModifiedTicks => LastModified.UtcTicks;
}

/// <summary>Where covers, thumbnails, videos and avatars live: a folder by default, an S3 bucket with Storage:Kind=S3.</summary>
public interface IMediaStore
{
    Task<MediaInfo?> GetInfoAsync(MediaKey key, CancellationToken ct = default);
    Task<Stream?> OpenReadAsync(MediaKey key, CancellationToken ct = default);
    /// <summary>
    /// The bytes <paramref name="offset"/> … offset + <paramref name="length"/> − 1 of the file (to its end when
    /// <paramref name="length"/> is null), for HTTP range requests; null when the file is missing. A store that
    /// can read a slice (a file, an S3 ranged GET) overrides this; the default skips through a full read.
    /// </summary>
    async Task<Stream?> OpenReadAsync(MediaKey key, long offset, long? length, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (length is < 0) throw new ArgumentOutOfRangeException(nameof(length));
        var stream = await OpenReadAsync(key, ct);
        if (stream is null) return null;
        try
        {
            await SliceStream.SkipAsync(stream, offset, ct);
            return new SliceStream(stream, length);
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }
    /// <summary>Writes through a temporary name and moves into place, so readers never see half a file.</summary>
    Task<MediaInfo> WriteAsync(MediaKey key, Stream content, CancellationToken ct = default);
    /// <returns>true when something was deleted.</returns>
    Task<bool> DeleteAsync(MediaKey key, CancellationToken ct = default);
    IAsyncEnumerable<MediaInfo> ListAsync(string prefix, CancellationToken ct = default);
    /// <summary>
    /// Takes a finished local file (e.g. a download's staging output) into the store under <paramref name="key"/>,
    /// replacing what is there, and removes the local file. Readers never see half a file. The default copies
    /// through <see cref="WriteAsync"/>; the folder store renames instead (same volume: atomic and instant).
    /// </summary>
    async Task<MediaInfo> MoveInAsync(MediaKey key, string localPath, CancellationToken ct = default)
    {
        MediaInfo info;
        await using (var source = new FileStream(localPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true))
            info = await WriteAsync(key, source, ct);
        File.Delete(localPath);
        return info;
    }
    /// <summary>The file's absolute path when the store is a local folder (for ffmpeg and the importer's rename).</summary>
    string? TryGetLocalPath(MediaKey key);
    /// <summary>
    /// Where a person finds the file (what /downloads/abspath answers, after Data:FilePathPrefix): its absolute path in a
    /// folder store, /bucket/prefix/key in a bucket.
    /// </summary>
    string Locate(MediaKey key) => TryGetLocalPath(key) ?? throw new NotSupportedException($"{GetType().Name} cannot locate {key}");
}
