using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using NasSav.ServiceDefaults.Configuration;

namespace NasSav.Media.Storage;

public sealed class FolderMediaStore : IMediaStore
{
    private readonly string _root;

    public FolderMediaStore(IOptions<DataOptions> options) : this(options.Value.ResolvedMediaRoot) { }

    public FolderMediaStore(string root)
    {
        _root = Path.GetFullPath(root);
        Directory.CreateDirectory(_root);
    }

    public string Root => _root;

    public string? TryGetLocalPath(MediaKey key) => Resolve(key);

    private string Resolve(MediaKey key)
    {
        var path = Path.GetFullPath(Path.Combine(_root, key.Value));
        // Defence in depth: MediaKey already forbids traversal.
        if (!path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new InvalidOperationException($"key '{key}' resolves outside the media root");
        return path;
    }

    public Task<MediaInfo?> GetInfoAsync(MediaKey key, CancellationToken ct = default)
    {
        var file = new FileInfo(Resolve(key));
        return Task.FromResult(file.Exists ? new MediaInfo(key, file.Length, file.LastWriteTimeUtc) : null);
    }

    public Task<Stream?> OpenReadAsync(MediaKey key, CancellationToken ct = default) =>
        Task.FromResult<Stream?>(TryOpen(key, 81920));

    public Task<Stream?> OpenReadAsync(MediaKey key, long offset, long? length, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (length is < 0) throw new ArgumentOutOfRangeException(nameof(length));
        // A player's probe asks for a few bytes: no 80 KiB read-ahead for those.
        var file = TryOpen(key, (int)Math.Clamp(length ?? 81920, 1, 81920));
        if (file is null) return Task.FromResult<Stream?>(null);
        file.Seek(offset, SeekOrigin.Begin);
        return Task.FromResult<Stream?>(new SliceStream(file, length));
    }

    private FileStream? TryOpen(MediaKey key, int bufferSize)
    {
        try
        {
            // ReadWrite | Delete: a reader (a video being played) never blocks a replace or a delete.
            return new FileStream(Resolve(key), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize, useAsync: true);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public async Task<MediaInfo> WriteAsync(MediaKey key, Stream content, CancellationToken ct = default)
    {
        var path = Resolve(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Guid.NewGuid():N}.partial";
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await content.CopyToAsync(file, ct);
                await file.FlushAsync(ct);
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        var info = new FileInfo(path);
        return new MediaInfo(key, info.Length, info.LastWriteTimeUtc);
    }

    public Task<MediaInfo> MoveInAsync(MediaKey key, string localPath, CancellationToken ct = default)
    {
        var path = Resolve(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Rename under a temporary name beside the target first: on another volume File.Move copies, and a reader
        // must not see the copy half done; the final rename within the folder is atomic either way.
        var temp = $"{path}.{Guid.NewGuid():N}.partial";
        try
        {
            File.Move(localPath, temp);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        var info = new FileInfo(path);
        return Task.FromResult(new MediaInfo(key, info.Length, info.LastWriteTimeUtc));
    }

    public Task<bool> DeleteAsync(MediaKey key, CancellationToken ct = default)
    {
        var path = Resolve(key);
        if (!File.Exists(path)) return Task.FromResult(false);
        File.Delete(path);
        return Task.FromResult(true);
    }

    public async IAsyncEnumerable<MediaInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var folder = Path.GetFullPath(Path.Combine(_root, prefix.Trim('/')));
        if (!folder.StartsWith(_root, StringComparison.Ordinal) || !Directory.Exists(folder)) yield break;
        foreach (var path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            ct.ThrowIfCancellationRequested();
            var relative = Path.GetRelativePath(_root, path).Replace(Path.DirectorySeparatorChar, '/');
            if (relative.EndsWith(".partial", StringComparison.Ordinal)) continue;
            MediaKey key;
            try { key = MediaKey.Of(relative.Split('/')); }
            catch (ArgumentException) { continue; } // a file we did not write (odd name): not ours to list
            var info = new FileInfo(path);
            yield return new MediaInfo(key, info.Length, info.LastWriteTimeUtc);
        }
        await Task.CompletedTask;
    }
}
