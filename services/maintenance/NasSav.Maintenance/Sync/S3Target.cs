using System.Globalization;
using NasSav.Media.Storage.S3;

namespace NasSav.Maintenance.Sync;

/// <summary>An S3 bucket (AWS, MinIO, s3rver) through <see cref="S3Bucket"/>: the Minio client, AWSSDK.S3 for listings.</summary>
public sealed class S3Target(S3Settings settings, TimeSpan timeout) : ISyncTarget
{
    private readonly S3Bucket _bucket = new(settings, timeout);

    public string Describe() => _bucket.Describe();

    public Task PrepareAsync(CancellationToken ct) => _bucket.EnsureExistsAsync(ct);

    public async Task<Dictionary<string, TargetEntry>> ListAsync(CancellationToken ct)
    {
        var entries = new Dictionary<string, TargetEntry>(StringComparer.Ordinal);
        await foreach (var entry in _bucket.ListAsync("", ct))
            entries[entry.Key] = new TargetEntry(entry.Size, entry.LastModified.UtcDateTime);
        return entries;
    }

    public async Task CopyAsync(string relativePath, Stream content, long size, DateTime sourceModifiedUtc, CancellationToken ct)
    {
        var metadata = new Dictionary<string, string> { ["source-mtime"] = sourceModifiedUtc.ToString("o", CultureInfo.InvariantCulture) };
        await _bucket.PutAsync(relativePath, content, size, "application/octet-stream", metadata, ct);
        var stored = await _bucket.StatAsync(relativePath, ct);
        if (stored?.Size != size) throw new IOException($"uploaded {stored?.Size ?? 0} of {size} bytes of '{relativePath}'");
    }

    public ValueTask DisposeAsync()
    {
        _bucket.Dispose();
        return ValueTask.CompletedTask;
    }
}
