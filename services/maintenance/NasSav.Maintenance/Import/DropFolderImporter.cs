using System.Security.Cryptography;
using System.Text;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NasSav.Contracts.Lifecycle;
using NasSav.Media.Avids;
using NasSav.Media.Storage;

namespace NasSav.Maintenance.Import;

/// <summary>
/// Watches the inbox folders. An entry (file or folder) is complete when its fingerprint (paths, sizes, mtimes)
/// has not changed for StableSeconds; complete entries are imported one at a time, small ones first. Each video
/// whose name holds a valid AVID is moved into the media store (temporary name, size verified, then renamed) and
/// catalog is asked to record it (ImportVideo: a new AVID goes through the lifecycle's add, then is marked
/// downloaded). Files without an AVID are reported and left where they are.
/// </summary>
public sealed class DropFolderImporter(
    IOptions<MaintenanceOptions> options,
    IMediaStore store,
    IBus bus,
    TimeProvider clock,
    ILogger<DropFolderImporter> logger) : BackgroundService
{
    private const int KeepEnded = 200;
    private readonly object _lock = new();
    private readonly Dictionary<string, InboxItem> _items = new(StringComparer.Ordinal);
    private readonly List<InboxItem> _ended = [];
    private readonly Dictionary<string, UnmatchedFile> _unmatched = new(StringComparer.Ordinal);
    private InboxItem? _importing;

    private ImportOptions O => options.Value.Import;

    public object Status()
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            object Shape(InboxItem i) => new
            {
                path = i.Path, state = i.State.ToString().ToLowerInvariant(), files = i.Files, bytes = i.Bytes,
                stable_for_seconds = Math.Round((now - i.ChangedAt).TotalSeconds, 1), attempts = i.Attempts, avids = i.Avids,
                error = i.Error, ended_at = i.EndedAt,
            };
            return new
            {
                enabled = O.Enabled,
                watched = O.Folders.Select(Path.GetFullPath).ToList(),
                stable_seconds = O.StableSeconds,
                pending = _items.Values.Where(i => i.State == ItemState.Pending).OrderBy(i => i.Path, StringComparer.Ordinal).Select(Shape).ToList(),
                queued = _items.Values.Where(i => i.State == ItemState.Queued).OrderBy(i => i.Priority(O)).Select(Shape).ToList(),
                importing = _importing is null ? null : Shape(_importing),
                done = _ended.Where(i => i.State == ItemState.Done).Select(Shape).ToList(),
                failed = _ended.Where(i => i.State == ItemState.Failed).Select(Shape).ToList(),
                unmatched = _unmatched.Values.OrderBy(u => u.Path, StringComparer.Ordinal)
                    .Select(u => new { path = u.Path, reason = u.Reason, at = u.At }).ToList(),
            };
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!O.Enabled) return;
        foreach (var folder in O.Folders) Directory.CreateDirectory(folder);
        logger.LogInformation("Watching {Folders} (stable after {Seconds} s)", O.Folders, O.StableSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                Scan();
                var next = NextQueued();
                if (next is not null) await ImportAsync(next, stoppingToken);
                else await Task.Delay(TimeSpan.FromSeconds(O.ScanSeconds), clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { break; }
            catch (Exception ex)
            {
                logger.LogError(ex, "Inbox scan failed");
                await Task.Delay(TimeSpan.FromSeconds(O.ScanSeconds), clock, stoppingToken);
            }
        }
    }

    private void Scan()
    {
        var now = clock.GetUtcNow();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var folder in O.Folders.Select(Path.GetFullPath))
        {
            if (!Directory.Exists(folder)) continue;
            foreach (var entry in Directory.EnumerateFileSystemEntries(folder))
            {
                var name = Path.GetFileName(entry);
                if (name.StartsWith('.')) continue; // hidden: partial uploads of some tools, our own leftovers
                seen.Add(entry);
                var (fingerprint, files, bytes) = Fingerprint(entry);
                lock (_lock)
                {
                    if (!_items.TryGetValue(entry, out var item))
                    {
                        item = new InboxItem { Path = entry, Folder = folder, ChangedAt = now };
                        _items[entry] = item;
                    }
                    if (item.State is ItemState.Importing) continue;
                    if (item.Fingerprint != fingerprint)
                    {
                        // Still being written (or written again): back to waiting.
                        item.Fingerprint = fingerprint;
                        item.Files = files;
                        item.Bytes = bytes;
                        item.ChangedAt = now;
                        if (item.State == ItemState.Queued && item.Attempts == 0) item.State = ItemState.Pending;
                    }
                    else if (item.State == ItemState.Pending && now - item.ChangedAt >= TimeSpan.FromSeconds(O.StableSeconds) && files > 0)
                    {
                        item.State = ItemState.Queued;
                    }
                }
            }
        }
        lock (_lock)
        {
            foreach (var gone in _items.Keys.Where(k => !seen.Contains(k) && _items[k].State != ItemState.Importing && _items[k].Attempts == 0).ToList())
                _items.Remove(gone);
        }
    }

    private InboxItem? NextQueued()
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            return _items.Values
                .Where(i => i.State == ItemState.Queued && (i.NotBefore is null || i.NotBefore <= now))
                .OrderBy(i => i.Priority(O))
                .ThenBy(i => i.Path, StringComparer.Ordinal)
                .FirstOrDefault();
        }
    }

    private static (string Fingerprint, int Files, long Bytes) Fingerprint(string entry)
    {
        var files = File.Exists(entry)
            ? [new FileInfo(entry)]
            : Directory.Exists(entry) ? new DirectoryInfo(entry).EnumerateFiles("*", SearchOption.AllDirectories).OrderBy(f => f.FullName, StringComparer.Ordinal).ToList() : [];
        var sb = new StringBuilder();
        long bytes = 0;
        foreach (var f in files)
        {
            f.Refresh();
            sb.Append(f.FullName).Append('|').Append(f.Length).Append('|').Append(f.LastWriteTimeUtc.Ticks).Append('\n');
            bytes += f.Length;
        }
        return (Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString()))), files.Count, bytes);
    }

    private async Task ImportAsync(InboxItem item, CancellationToken ct)
    {
        lock (_lock)
        {
            item.State = ItemState.Importing;
            item.Attempts++;
            _importing = item;
        }
        var retry = false;
        string? error = null;
        try
        {
            var files = File.Exists(item.Path) ? [item.Path] : Directory.EnumerateFiles(item.Path, "*", SearchOption.AllDirectories).ToList();
            foreach (var file in files)
            {
                var ext = Path.GetExtension(file);
                if (!O.VideoExtensions.Contains(ext, StringComparer.OrdinalIgnoreCase))
                {
                    Unmatched(file, $"not a video ({string.Join(", ", O.VideoExtensions)})");
                    continue;
                }
                if (!AvidInFileName.TryFind(Path.GetFileName(file), out var avid))
                {
                    Unmatched(file, "no valid AVID in the file name");
                    continue;
                }
                var size = new FileInfo(file).Length;
                await MoveVerifiedAsync(file, MediaKey.Video(avid), size, ct);
                lock (_lock) if (!item.Avids.Contains(avid.Value)) item.Avids.Add(avid.Value);
                logger.LogInformation("Imported {File} as {Avid} ({Size} bytes)", file, avid, size);
            }
            // Videos already moved wait for catalog to record them (a retry re-asks catalog only).
            foreach (var avid in item.Avids.ToList())
            {
                var info = await store.GetInfoAsync(MediaKey.Video(Avid.Parse(avid)), ct);
                if (info is null) { error = $"video/{avid}.mp4 disappeared from the media store"; break; }
                var client = bus.CreateRequestClient<ImportVideo>(RequestTimeout.After(s: 180));
                var answer = (await client.GetResponse<VideoImported>(new ImportVideo { Avid = avid, Size = info.Size }, ct)).Message;
                if (answer.Recorded) continue;
                error = answer.Message ?? $"catalog did not record {avid}";
                retry = answer.Retry;
                break;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            error = ex.Message;
            retry = ex is RequestTimeoutException;
            logger.LogWarning(ex, "Importing {Path} failed", item.Path);
        }
        lock (_lock)
        {
            _importing = null;
            item.Error = error;
            if (error is not null && retry && item.Attempts < O.MaxAttempts)
            {
                item.State = ItemState.Queued;
                item.NotBefore = clock.GetUtcNow() + TimeSpan.FromSeconds(O.RetrySeconds);
                return;
            }
            item.State = error is null ? ItemState.Done : ItemState.Failed;
            item.EndedAt = clock.GetUtcNow();
            _items.Remove(item.Path);
            if (Directory.Exists(item.Path) && !Directory.EnumerateFileSystemEntries(item.Path, "*", SearchOption.AllDirectories).Any())
                Directory.Delete(item.Path, recursive: true);
            _ended.Insert(0, item);
            if (_ended.Count > KeepEnded) _ended.RemoveAt(_ended.Count - 1);
        }
    }

    private void Unmatched(string file, string reason)
    {
        lock (_lock) _unmatched[file] = new UnmatchedFile(file, reason, clock.GetUtcNow());
    }

    /// <summary>
    /// Into the store under a temporary name, size checked, then into place; the source goes only after that.
    /// A local store on the same disk gets a rename, not a copy. An existing video is never overwritten.
    /// </summary>
    private async Task MoveVerifiedAsync(string source, MediaKey key, long size, CancellationToken ct)
    {
        if (await store.GetInfoAsync(key, ct) is not null) throw new IOException($"{key} already exists in the media store: {source} left in the inbox");
        var local = store.TryGetLocalPath(key);
        if (local is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(local)!);
            var temp = $"{local}.{Guid.NewGuid():N}.partial";
            File.Move(source, temp);
            try
            {
                var moved = new FileInfo(temp).Length;
                if (moved != size) throw new IOException($"moved {moved} of {size} bytes of {source}");
                File.Move(temp, local, overwrite: false);
            }
            catch
            {
                if (File.Exists(temp) && !File.Exists(source)) File.Move(temp, source);
                throw;
            }
            return;
        }
        await using (var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true))
        {
            var written = await store.WriteAsync(key, input, ct);
            if (written.Size != size)
            {
                await store.DeleteAsync(key, ct);
                throw new IOException($"stored {written.Size} of {size} bytes of {source}");
            }
        }
        File.Delete(source);
    }
}
