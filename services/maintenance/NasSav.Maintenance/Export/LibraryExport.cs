using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NasSav.Contracts.Export;
using NasSav.Maintenance.Consistency;
using NasSav.Maintenance.Library;
using NasSav.Media.Avids;
using NasSav.ServiceDefaults.Configuration;
using NasSav.Media.Processes;
using NasSav.Media.Storage;

namespace NasSav.Maintenance.Export;

/// <summary>What the export did (or, on a dry run, would do) for one title.</summary>
/// <param name="Action">created, updated, unchanged, removed, skipped (not exported and no folder), failed.</param>
/// <param name="Steps">e.g. "movie.nfo", "poster.jpg", "video (hardlink)", "rename from X", "remove folder".</param>
public sealed record ExportChange(string Avid, string Action, string? Folder, IReadOnlyList<string> Steps, string? Error = null)
{
    public bool Changed => Action is "created" or "updated" or "removed";
}

/// <summary>
/// The library as media servers read it: one folder per title under <c>Maintenance:Export:Folder</c>, named by the
/// template, holding movie.nfo, poster.jpg, fanart.jpg and the video (<see cref="VideoPlacement"/>), plus a
/// <c>.nassav.json</c> marker (the AVID and the stamps of what was exported, so unchanged files are not redone and
/// only folders of ours are ever renamed or removed). Each change is planned first; a dry run returns the plan.
/// One title at a time per process (events and the rebuild job share the gate).
/// </summary>
public sealed class LibraryExport(
    IMediaStore store,
    LibraryClient library,
    IOptions<MaintenanceOptions> options,
    IOptions<MediaToolOptions> tools,
    IOptions<DataOptions> data,
    ILogger<LibraryExport> logger)
{
    public const string MarkerFile = ".nassav.json";

    private static readonly JsonSerializerOptions MarkerJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };
    private readonly SemaphoreSlim _gate = new(1, 1);
    /// <summary>AVID → its folder, from the markers; rebuilt when an entry proves stale and by every job run.</summary>
    private Dictionary<string, string>? _index;

    private ExportOptions O => options.Value.Export;

    /// <summary>The export root; refused inside the media root (the library's own files must stay the library's).</summary>
    public string Root
    {
        get
        {
            var root = Path.GetFullPath(O.Folder ?? throw new InvalidOperationException("Maintenance:Export:Folder is not set"));
            var media = data.Value.ResolvedMediaRoot;
            if (root == media || root.StartsWith(media + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                throw new InvalidOperationException($"Maintenance:Export:Folder {root} is inside the media root {media}; choose a folder outside it");
            return root.TrimEnd(Path.DirectorySeparatorChar);
        }
    }

    private sealed record Marker(string Avid, string? Cover, string? Video, string? VideoFile, string? VideoMode, DateTimeOffset ExportedAt);

    /// <summary>Brings one title's folder in line with the library (the event path): exported, updated or removed.</summary>
    public async Task<ExportChange> SyncAsync(string avid, bool apply, CancellationToken ct)
    {
        var details = await library.DetailsAsync([avid], ct);
        return await SyncAsync(avid, details.Resources.FirstOrDefault(), details.DisplayTitle, apply, ct);
    }

    /// <param name="detail">Null: the title is not in the library (deleted): its folder goes.</param>
    public async Task<ExportChange> SyncAsync(string avid, ResourceDetail? detail, string displayTitle, bool apply, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var existing = await FolderOfAsync(avid, ct);
            if (detail is null || !Wanted(detail)) return Remove(avid, existing, apply);
            return await ExportAsync(detail, displayTitle, existing, apply, ct);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ProcessRunException or InvalidOperationException)
        {
            logger.LogWarning(ex, "Export of {Avid} failed", avid);
            return new ExportChange(avid, "failed", null, [], ex.Message);
        }
        finally
        {
            _gate.Release();
        }
    }

    public bool Wanted(ResourceDetail d) => O.Include == ExportInclude.All || d.FileExists;

    /// <summary>Every AVID with a folder of ours, read from the markers now (the rebuild job's starting point).</summary>
    public async Task<IReadOnlyDictionary<string, string>> ScanAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            _index = Scan();
            return new Dictionary<string, string>(_index, StringComparer.Ordinal);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Folders in the export root without a marker: not ours, never touched.</summary>
    public int ForeignFolders() =>
        Directory.Exists(Root) ? Directory.EnumerateDirectories(Root).Count(d => !File.Exists(Path.Combine(d, MarkerFile))) : 0;

    private Dictionary<string, string> Scan()
    {
        var index = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(Root)) return index;
        foreach (var dir in Directory.EnumerateDirectories(Root))
            if (ReadMarker(dir) is { } m && !index.TryAdd(m.Avid, dir))
                logger.LogWarning("Two export folders claim {Avid}: {First} and {Second}; the first is kept", m.Avid, index[m.Avid], dir);
        return index;
    }

    private Task<string?> FolderOfAsync(string avid, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        _index ??= Scan();
        if (!_index.TryGetValue(avid, out var dir)) return Task.FromResult<string?>(null);
        if (ReadMarker(dir)?.Avid == avid) return Task.FromResult<string?>(dir);
        // Stale (renamed or removed by hand, or by another instance): read the markers again.
        _index = Scan();
        return Task.FromResult(_index.GetValueOrDefault(avid));
    }

    private static Marker? ReadMarker(string dir)
    {
        var path = Path.Combine(dir, MarkerFile);
        if (!File.Exists(path)) return null;
        try { return JsonSerializer.Deserialize<Marker>(File.ReadAllText(path), MarkerJson); }
        catch (JsonException) { return null; }
    }

    private ExportChange Remove(string avid, string? existing, bool apply)
    {
        if (existing is null) return new ExportChange(avid, "skipped", null, []);
        if (apply)
        {
            Directory.Delete(existing, recursive: true);
            _index?.Remove(avid);
            logger.LogInformation("Export of {Avid} removed: {Folder}", avid, existing);
        }
        return new ExportChange(avid, "removed", existing, ["remove folder"]);
    }

    private async Task<ExportChange> ExportAsync(ResourceDetail d, string displayTitle, string? existing, bool apply, CancellationToken ct)
    {
        var avid = Avid.Parse(d.Avid);
        var root = Root;
        var title = ExportNaming.Title(d, O.Title, displayTitle);
        var name = ExportNaming.FolderName(O.NameTemplate, d, title);
        var folder = Path.GetFullPath(Path.Combine(root, name));
        if (Path.GetDirectoryName(folder) != root) throw new InvalidOperationException($"folder name '{name}' leaves the export root");
        if (existing is null && Directory.Exists(folder) && ReadMarker(folder)?.Avid == d.Avid) existing = folder;
        if (existing is null && Directory.Exists(folder))
            throw new IOException($"{folder} exists and is not an export folder of NasSav (no {MarkerFile}); rename or remove it");
        var marker = existing is null ? null : ReadMarker(existing);
        var steps = new List<string>();
        var actions = new List<Func<Task>>();

        if (existing is not null && existing != folder)
        {
            steps.Add($"rename from {Path.GetFileName(existing)}");
            actions.Add(() => { Directory.Move(existing, folder); return Task.CompletedTask; });
        }
        else if (existing is null)
        {
            actions.Add(() => { Directory.CreateDirectory(folder); return Task.CompletedTask; });
        }
        // The marker goes in first: a step that fails later (a copy, ffmpeg) leaves a folder of ours, which the next
        // event or run finishes, never a folder without a marker that would then count as someone else's.
        if (existing is null) actions.Add(() => WriteTextAsync(Path.Combine(folder, MarkerFile),
            JsonSerializer.Serialize(new Marker(d.Avid, null, null, null, null, DateTimeOffset.UtcNow), MarkerJson), ct));
        // Files are compared where they are now (before a rename), written where they will be.
        var current = existing ?? folder;

        var nfo = MovieNfo.Write(d, new MovieNfo.Settings(title, O.PublicUrl, O.Rating));
        var nfoPath = Path.Combine(current, MovieNfo.FileName);
        if (!File.Exists(nfoPath) || await File.ReadAllTextAsync(nfoPath, ct) != nfo)
        {
            steps.Add(MovieNfo.FileName);
            actions.Add(() => WriteTextAsync(Path.Combine(folder, MovieNfo.FileName), nfo, ct));
        }

        var cover = await CoverLookup.FindAsync(store, avid, ct);
        var coverStamp = cover is null ? null : $"{cover.Size}:{cover.LastModifiedTicks}:{O.PosterCrop}";
        var artwork = new ExportArtwork(tools.Value);
        if (cover is not null && (marker?.Cover != coverStamp || !File.Exists(Path.Combine(current, ExportArtwork.Poster)) || !File.Exists(Path.Combine(current, ExportArtwork.Fanart))))
        {
            steps.Add(ExportArtwork.Poster);
            steps.Add(ExportArtwork.Fanart);
            actions.Add(async () =>
            {
                await using var local = await LocalCopyAsync(cover.Key, ct);
                await artwork.MakePosterAsync(local.Path, Path.Combine(folder, ExportArtwork.Poster), O.PosterCrop, ct);
                await artwork.MakeFanartAsync(local.Path, Path.Combine(folder, ExportArtwork.Fanart), ct);
            });
        }
        else if (cover is null)
        {
            foreach (var image in new[] { ExportArtwork.Poster, ExportArtwork.Fanart }.Where(i => File.Exists(Path.Combine(current, i))))
            {
                steps.Add($"remove {image}");
                actions.Add(() => { File.Delete(Path.Combine(folder, image)); return Task.CompletedTask; });
            }
        }

        var videoFile = name + ".mp4";
        var video = d.FileExists ? await store.GetInfoAsync(MediaKey.Video(avid), ct) : null;
        var videoStamp = video is null ? null : $"{video.Size}:{video.LastModifiedTicks}:{O.Link}";
        string? videoMode = marker?.VideoMode;
        if (marker?.VideoFile is { } oldFile && oldFile != videoFile && File.Exists(Path.Combine(current, oldFile)))
        {
            steps.Add($"remove {oldFile}");
            actions.Add(() => { File.Delete(Path.Combine(folder, oldFile)); return Task.CompletedTask; });
        }
        if (video is not null && (marker?.Video != videoStamp || marker?.VideoFile != videoFile || !File.Exists(Path.Combine(current, videoFile))))
        {
            steps.Add($"video ({O.Link.ToString().ToLowerInvariant()})");
            actions.Add(async () => videoMode = await VideoPlacement.PlaceAsync(store, video.Key, Path.Combine(folder, videoFile), O.Link, ct));
        }
        else if (video is null && File.Exists(Path.Combine(current, videoFile)))
        {
            steps.Add($"remove {videoFile}");
            actions.Add(() => { File.Delete(Path.Combine(folder, videoFile)); videoMode = null; return Task.CompletedTask; });
        }

        var action = existing is null ? "created" : steps.Count > 0 ? "updated" : "unchanged";
        if (!apply || action == "unchanged") return new ExportChange(d.Avid, action, folder, steps);

        if (!Directory.Exists(root)) Directory.CreateDirectory(root);
        foreach (var step in actions) await step();
        var written = new Marker(d.Avid, coverStamp, videoStamp, video is null ? null : videoFile, video is null ? null : videoMode, DateTimeOffset.UtcNow);
        await WriteTextAsync(Path.Combine(folder, MarkerFile), JsonSerializer.Serialize(written, MarkerJson), ct);
        (_index ??= [])[d.Avid] = folder;
        logger.LogInformation("Export of {Avid} {Action} in {Folder}: {Steps}", d.Avid, action, folder, string.Join(", ", steps));
        return new ExportChange(d.Avid, action, folder, steps);
    }

    private static async Task WriteTextAsync(string path, string text, CancellationToken ct)
    {
        var temp = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.partial");
        await File.WriteAllTextAsync(temp, text, new System.Text.UTF8Encoding(false), ct);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>The cover as a local file for ffmpeg: the store's own path, or a temporary copy (S3).</summary>
    private async Task<LocalFile> LocalCopyAsync(MediaKey key, CancellationToken ct)
    {
        if (store.TryGetLocalPath(key) is { } path) return new LocalFile(path, temporary: false);
        var temp = Path.Combine(Path.GetTempPath(), $"nassav-export-{Guid.NewGuid():N}{Path.GetExtension(key.Value)}");
        await using (var source = await store.OpenReadAsync(key, ct) ?? throw new FileNotFoundException($"{key} is not in the media store"))
        await using (var file = File.Create(temp))
            await source.CopyToAsync(file, ct);
        return new LocalFile(temp, temporary: true);
    }

    private sealed class LocalFile(string path, bool temporary) : IAsyncDisposable
    {
        public string Path { get; } = path;

        public ValueTask DisposeAsync()
        {
            if (temporary) File.Delete(Path);
            return ValueTask.CompletedTask;
        }
    }

    public static string Describe(ExportChange c) =>
        string.Create(CultureInfo.InvariantCulture, $"{c.Avid} {c.Action}{(c.Steps.Count > 0 ? ": " + string.Join(", ", c.Steps) : "")}{(c.Error is null ? "" : " (" + c.Error + ")")}");
}
