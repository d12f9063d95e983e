using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using NasSav.ServiceDefaults.Configuration;

namespace NasSav.Media.Storage.S3;

/// <summary>
/// <see cref="IMediaStore"/> on an S3 bucket (<c>Storage:Kind=S3</c>, settings <c>Storage:S3</c>), so services on
/// different machines share covers, thumbnails, avatars and videos without a shared folder. Keys are object names
/// under the settings' prefix. An upload appears whole or not at all; reads stream, ranges included.
/// </summary>
public sealed class S3MediaStore : IMediaStore, IDisposable
{
    /// <summary>Per S3 request (a multipart upload's part, a stat); a read's body streams without a deadline.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(100);

    private readonly S3Bucket _bucket;
    private readonly Lock _lock = new();
    private Task? _bucketReady;

    public S3MediaStore(IOptions<StorageOptions> options) : this(new S3Bucket(options.Value.S3, RequestTimeout)) { }

    public S3MediaStore(S3Bucket bucket) => _bucket = bucket;

    public S3Bucket Bucket => _bucket;

    public async Task<MediaInfo?> GetInfoAsync(MediaKey key, CancellationToken ct = default) =>
        await _bucket.StatAsync(key.Value, ct) is { } entry ? new MediaInfo(key, entry.Size, entry.LastModified) : null;

    public Task<Stream?> OpenReadAsync(MediaKey key, CancellationToken ct = default) => _bucket.OpenReadAsync(key.Value, 0, null, ct);

    public Task<Stream?> OpenReadAsync(MediaKey key, long offset, long? length, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (length is < 0) throw new ArgumentOutOfRangeException(nameof(length));
        return _bucket.OpenReadAsync(key.Value, offset, length, ct);
    }

    public async Task<MediaInfo> WriteAsync(MediaKey key, Stream content, CancellationToken ct = default)
    {
        await BucketReadyAsync(ct);
        if (content.CanSeek)
        {
            await _bucket.PutAsync(key.Value, content, content.Length - content.Position, key.ContentType, null, ct);
        }
        else
        {
            // An upload needs its size up front (else Minio sizes its parts for the largest object S3 allows).
            var spool = Path.Combine(Path.GetTempPath(), $"nassav-s3-{Guid.NewGuid():N}.partial");
            await using var file = new FileStream(spool, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920,
                FileOptions.Asynchronous | FileOptions.DeleteOnClose);
            await content.CopyToAsync(file, ct);
            file.Position = 0;
            await _bucket.PutAsync(key.Value, file, file.Length, key.ContentType, null, ct);
        }
        return await GetInfoAsync(key, ct) ?? throw new IOException($"{key} was uploaded to {_bucket.Describe()} but is not there");
    }

    public async Task<bool> DeleteAsync(MediaKey key, CancellationToken ct = default)
    {
        if (await _bucket.StatAsync(key.Value, ct) is null) return false;
        await _bucket.DeleteAsync(key.Value, ct);
        return true;
    }

    public async IAsyncEnumerable<MediaInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var folder = prefix.Trim('/') is { Length: > 0 } p ? p + "/" : "";
        await foreach (var entry in _bucket.ListAsync(folder, ct))
        {
            MediaKey key;
            try { key = MediaKey.Of(entry.Key.Split('/')); }
            catch (ArgumentException) { continue; } // an object we did not write (odd name): not ours to list
            yield return new MediaInfo(key, entry.Size, entry.LastModified);
        }
    }

    /// <summary>No local file: ffmpeg and the importer copy through the stream instead.</summary>
    public string? TryGetLocalPath(MediaKey key) => null;

    /// <summary>/bucket/prefix/key: where the object is, path-style (what /downloads/abspath answers on S3).</summary>
    public string Locate(MediaKey key) => _bucket.PathOf(key.Value);

    private Task BucketReadyAsync(CancellationToken ct)
    {
        lock (_lock)
        {
            // A failed attempt is forgotten, so the next write tries again.
            if (_bucketReady is null || _bucketReady.IsFaulted || _bucketReady.IsCanceled)
                _bucketReady = _bucket.EnsureExistsAsync(ct);
            return _bucketReady;
        }
    }

    public void Dispose() => _bucket.Dispose();
}
