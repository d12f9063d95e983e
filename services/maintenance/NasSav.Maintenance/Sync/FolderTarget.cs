namespace NasSav.Maintenance.Sync;

/// <summary>A folder (another disk, a NAS mount): written through a temporary name, verified by size, mtime kept (as copy2).</summary>
public sealed class FolderTarget(string root) : ISyncTarget
{
    private readonly string _root = Path.GetFullPath(root);

    public string Describe() => _root;

    public Task PrepareAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(_root);
        return Task.CompletedTask;
    }

    public Task<Dictionary<string, TargetEntry>> ListAsync(CancellationToken ct)
    {
        var entries = new Dictionary<string, TargetEntry>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories))
        {
            if (file.EndsWith(".syncing", StringComparison.Ordinal)) continue;
            var info = new FileInfo(file);
            entries[Path.GetRelativePath(_root, file).Replace(Path.DirectorySeparatorChar, '/')] = new TargetEntry(info.Length, info.LastWriteTimeUtc);
        }
        return Task.FromResult(entries);
    }

    public async Task CopyAsync(string relativePath, Stream content, long size, DateTime sourceModifiedUtc, CancellationToken ct)
    {
        var path = Path.GetFullPath(Path.Combine(_root, relativePath));
        if (!path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new InvalidOperationException($"'{relativePath}' resolves outside the target folder");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Guid.NewGuid():N}.syncing";
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await content.CopyToAsync(file, ct);
                await file.FlushAsync(ct);
            }
            var written = new FileInfo(temp).Length;
            if (written != size) throw new IOException($"copied {written} of {size} bytes of '{relativePath}'");
            File.SetLastWriteTimeUtc(temp, sourceModifiedUtc);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
