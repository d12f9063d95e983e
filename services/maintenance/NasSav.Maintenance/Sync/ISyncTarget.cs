namespace NasSav.Maintenance.Sync;

/// <summary>What the target holds for a path: its size and modification (or upload) time.</summary>
public sealed record TargetEntry(long Size, DateTime LastModifiedUtc);

/// <summary>Where a sync copies to. Targets only add and overwrite: nothing is ever deleted there.</summary>
public interface ISyncTarget : IAsyncDisposable
{
    string Describe();
    Task PrepareAsync(CancellationToken ct);
    /// <summary>Everything under the target's root, by relative path with '/' separators.</summary>
    Task<Dictionary<string, TargetEntry>> ListAsync(CancellationToken ct);
    Task CopyAsync(string relativePath, Stream content, long size, DateTime sourceModifiedUtc, CancellationToken ct);
}
