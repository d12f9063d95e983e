using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NasSav.Downloader.Engine.Fetching;
using NasSav.Downloader.Engine.Merging;
using NasSav.Downloader.Engine.Merging.Native;
using NasSav.Downloader.Engine.Playlists;
using NasSav.Media.Processes;

namespace NasSav.Downloader.Engine;

/// <summary>
/// The native HLS engine: playlist (master to variant) to a segment plan, resume from what is on
/// disk, a free-space check, parallel fetches that fail closed, then an ffmpeg remux to MP4.
/// </summary>
public sealed class HlsDownloader(
    IHttpClientFactory httpClients,
    IOptions<HlsEngineOptions> engineOptions,
    IOptions<MediaToolOptions> toolOptions,
    DownloaderMetrics metrics,
    ILogger<HlsDownloader> logger) : IHlsDownloader
{
    private readonly HlsEngineOptions _options = engineOptions.Value;

    public async Task<HlsDownloadResult> DownloadAsync(HlsDownloadRequest request, IProgress<HlsProgress>? progress, CancellationToken ct)
    {
        Validate(request);
        var staging = Path.GetFullPath(request.StagingDirectory);
        Directory.CreateDirectory(staging);
        var retry = new Retry(_options, metrics.Retried);
        var http = new HlsHttp(httpClients.CreateClient(HlsHttp.ClientName), request.Headers, _options, retry);

        var playlist = await LoadMediaPlaylistAsync(http, request, ct).ConfigureAwait(false);
        var plan = SegmentPlan.Create(playlist);
        var present = ResumeIndex.Prepare(plan, staging, request.ResumeFrom, logger);
        await DiskSpaceCheck.EnsureAsync(plan, present, staging, http, _options, logger, ct).ConfigureAwait(false);
        logger.LogInformation("Downloading {Playlist}: {Segments} segments ({Reused} already on disk) into {Staging}",
            playlist.Url, plan.SegmentCount, present.Count, staging);

        var tracker = new ProgressTracker(progress, plan.SegmentCount, plan.Items.Count, plan.ExactBytes, TimeSpan.FromMilliseconds(_options.ProgressIntervalMs), metrics);
        foreach (var item in plan.Items.Where(i => present.ContainsKey(i.FileName)))
            tracker.Reused(present[item.FileName], !item.IsInit);
        tracker.Report(force: true);

        var fetcher = new SegmentFetcher(http, new KeyCache(http, ct), retry, _options, tracker, logger);
        var remuxer = new FfmpegRemuxer(toolOptions.Value, _options);
        var pending = plan.Items.Where(i => !present.ContainsKey(i.FileName)).ToList();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var probe = DurationProbe.Start(toolOptions.Value, ct);
        Merged merged;
        TimeSpan duration;
        try
        {
            merged = FfmpegRemuxer.CanPipe(plan)
                ? await FetchAndMergePipedAsync(plan, pending, present, fetcher, remuxer, tracker, staging, ct).ConfigureAwait(false)
                : await FetchThenMergeAsync(plan, pending, fetcher, remuxer, tracker, staging, ct).ConfigureAwait(false);
            var remuxed = clock.Elapsed;
            duration = await probe.DurationAsync(merged.Path).ConfigureAwait(false) ?? await remuxer.ProbeDurationAsync(merged.Path, ct).ConfigureAwait(false);
            if (merged.By == Native && !Plausible(duration, plan.Playlist.Duration))
            {
                // A second opinion rather than a wrong file: ffmpeg is the reference for what the native remux gets wrong.
                logger.LogWarning("Native remux of {Playlist} gave {Duration:0.###} s for a {Expected:0.###} s playlist; ffmpeg remuxes it from the segment files",
                    playlist.Url, duration.TotalSeconds, plan.Playlist.Duration);
                merged = new Merged(await remuxer.MergeAsync(plan, staging, ct).ConfigureAwait(false), Ffmpeg);
                duration = await remuxer.ProbeDurationAsync(merged.Path, ct).ConfigureAwait(false);
            }
            logger.LogInformation("Fetched and remuxed ({Remuxer}) {Segments} segments in {Merged} ms, probed in {Probe} ms",
                merged.By, plan.SegmentCount, (long)remuxed.TotalMilliseconds, (long)(clock.Elapsed - remuxed).TotalMilliseconds);
        }
        catch (ProcessRunException ex)
        {
            throw new HlsDownloadException($"remuxing {plan.SegmentCount} segments to MP4 failed: {ex.Message}", ex, kind: HlsFailure.Remux);
        }
        tracker.Report(force: true, HlsPhase.Merge);
        var size = new FileInfo(merged.Path).Length;
        logger.LogInformation("Downloaded {Playlist}: {Size} bytes, {Duration}", playlist.Url, size, duration);
        return new HlsDownloadResult(merged.Path, size, duration, plan.SegmentCount) { Remuxer = merged.By };
    }

    /// <summary>Within 2 s or 1 % of the playlist's own duration (EXTINF values are often rounded).</summary>
    private static bool Plausible(TimeSpan probed, double playlistSeconds) =>
        Math.Abs(probed.TotalSeconds - playlistSeconds) <= Math.Max(2, playlistSeconds / 100);

    private static void Validate(HlsDownloadRequest request)
    {
        if (!request.PlaylistUrl.IsAbsoluteUri || request.PlaylistUrl.Scheme is not ("http" or "https"))
            throw new HlsDownloadException($"playlist URL '{request.PlaylistUrl}' is not an absolute http(s) URL", kind: HlsFailure.BadRequest);
        if (string.IsNullOrWhiteSpace(request.StagingDirectory))
            throw new HlsDownloadException("no staging directory given", kind: HlsFailure.BadRequest);
        using var probe = new HttpRequestMessage();
        foreach (var name in request.Headers.Keys)
        {
            if (!probe.Headers.TryAddWithoutValidation(name, "x"))
                throw new HlsDownloadException($"header '{name}' cannot be sent on a GET request", kind: HlsFailure.BadRequest);
        }
    }

    private async Task<MediaPlaylist> LoadMediaPlaylistAsync(HlsHttp http, HlsDownloadRequest request, CancellationToken ct)
    {
        var playlist = await LoadAsync(http, request.PlaylistUrl, ct).ConfigureAwait(false);
        if (playlist is MasterPlaylist master)
        {
            var variant = VariantSelector.Select(master, request.MaxHeight);
            logger.LogInformation("Master playlist {Url}: chose {Variant} ({Bandwidth} bit/s, height {Height}) of {Count} variants",
                master.Url, variant.Uri, variant.Bandwidth, variant.Height, master.Variants.Count);
            playlist = await LoadAsync(http, variant.Uri, ct).ConfigureAwait(false);
            if (playlist is MasterPlaylist)
                throw new HlsDownloadException($"variant {variant.Uri} of {master.Url} is itself a master playlist", kind: HlsFailure.UnsupportedStream);
        }
        return (MediaPlaylist)playlist;
    }

    private static async Task<Playlist> LoadAsync(HlsHttp http, Uri url, CancellationToken ct)
    {
        var bytes = await http.GetBytesAsync("playlist", url, ct).ConfigureAwait(false);
        return PlaylistParser.Parse(Encoding.UTF8.GetString(bytes), url);
    }

    private sealed record Merged(string Path, string By);

    private async Task<Merged> FetchThenMergeAsync(SegmentPlan plan, List<FetchItem> pending, SegmentFetcher fetcher, FfmpegRemuxer remuxer,
        ProgressTracker tracker, string staging, CancellationToken ct)
    {
        await FetchAllAsync(pending, fetcher, tracker, staging, null, ct).ConfigureAwait(false);
        tracker.Report(force: true);
        tracker.Report(force: true, HlsPhase.Merge);
        return new Merged(await remuxer.MergeAsync(plan, staging, ct).ConfigureAwait(false), Ffmpeg);
    }

    private const string Ffmpeg = HlsDownloadResult.FfmpegRemux;
    private const string Native = HlsDownloadResult.NativeRemux;

    /// <summary>ffmpeg reads each file as soon as it and all before it are on disk; a failed fetch kills it (no MP4).</summary>
    private async Task<Merged> FetchAndMergePipedAsync(SegmentPlan plan, List<FetchItem> pending, IReadOnlyDictionary<string, long> present,
        SegmentFetcher fetcher, FfmpegRemuxer remuxer, ProgressTracker tracker, string staging, CancellationToken ct)
    {
        var ready = plan.Items.ToDictionary(i => i.FileName, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        foreach (var name in present.Keys) ready[name].SetResult();
        using var mergeStop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var merge = MergeStreamingAsync(plan, remuxer, staging, (item, token) => ready[item.FileName].Task.WaitAsync(token), mergeStop.Token);
        try
        {
            await FetchAllAsync(pending, fetcher, tracker, staging, item => ready[item.FileName].TrySetResult(), ct).ConfigureAwait(false);
        }
        catch
        {
            await mergeStop.CancelAsync().ConfigureAwait(false);
            try { await merge.ConfigureAwait(false); }
            catch (Exception) { /* the fetch failure is the one to report */ }
            throw;
        }
        tracker.Report(force: true);
        tracker.Report(force: true, HlsPhase.Merge);
        try
        {
            return await merge.ConfigureAwait(false);
        }
        catch (ProcessFailedException ex)
        {
            // Every segment is on disk: a second, file-based merge costs seconds and covers what the
            // piped one cannot (a moov larger than reserved, a stream the pipe demuxer chokes on).
            logger.LogWarning("Piped remux failed ({Error}); merging again from the segment files", ex.Message);
            return new Merged(await remuxer.MergeAsync(plan, staging, ct).ConfigureAwait(false), Ffmpeg);
        }
    }

    /// <summary>The native remux when chosen and the stream suits it, else (or when it declines midway) ffmpeg through a pipe.</summary>
    private async Task<Merged> MergeStreamingAsync(SegmentPlan plan, FfmpegRemuxer ffmpeg, string staging, Func<FetchItem, CancellationToken, Task> whenReady, CancellationToken ct)
    {
        if (_options.Remuxer == RemuxerChoice.Native)
        {
            try
            {
                return new Merged(await new NativeRemuxer().MergeAsync(plan, staging, whenReady, ct).ConfigureAwait(false), Native);
            }
            catch (UnsupportedStreamException ex)
            {
                logger.LogInformation("Native remux declined {Playlist} ({Reason}); ffmpeg remuxes it", plan.Playlist.Url, ex.Message);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A stream that trips the native remux must still download: ffmpeg is the reference.
                logger.LogWarning(ex, "Native remux of {Playlist} failed; ffmpeg remuxes it", plan.Playlist.Url);
            }
        }
        return new Merged(await ffmpeg.MergePipedAsync(plan, staging, whenReady, ct).ConfigureAwait(false), Ffmpeg);
    }

    private Task FetchAllAsync(List<FetchItem> items, SegmentFetcher fetcher, ProgressTracker tracker, string staging,
        Action<FetchItem>? onDone, CancellationToken ct) =>
        new FetchPool(fetcher, tracker, _options.Parallelism).FetchAllAsync(items, staging, onDone, ct);
}
