using System.Globalization;
using System.Text;
using NasSav.Media.Processes;

namespace NasSav.Downloader.Engine.Merging;

/// <summary>
/// Joins the segments into one MP4 without re-encoding (<c>-c copy</c>, faststart).
/// <list type="bullet">
/// <item>Piped (MPEG-TS without discontinuities, the common case): ffmpeg starts with the download and
/// reads the segments in order on stdin as each one lands, so remuxing overlaps fetching. Instead of
/// faststart's second pass over the whole file, space for the index (moov) is reserved at the front
/// from the playlist's duration (<see cref="MoovReserve"/>); when that proves too small ffmpeg fails
/// and the caller merges again from the files with faststart.</item>
/// <item>Otherwise after the download: the files read as one byte stream through ffmpeg's concatf
/// protocol (a list file, so no command-line length limit); an fMP4 init section followed by its
/// fragments is itself a valid file. At a discontinuity timestamps restart, so each run between
/// discontinuities is one input of the concat demuxer, which shifts each to follow the previous.</item>
/// </list>
/// </summary>
public sealed class FfmpegRemuxer(MediaToolOptions tools, HlsEngineOptions options)
{
    public const string OutputFile = "video.mp4";
    /// <summary>Where a remux writes until it is complete (shared with <see cref="NativeRemuxer"/>).</summary>
    public const string TempFile = "video.part.mp4";
    private const int PipeChunk = 1024 * 1024;

    public static bool CanPipe(SegmentPlan plan) => !plan.Fragmented && !plan.Playlist.Segments.Skip(1).Any(s => s.Discontinuity);

    /// <param name="whenReady">Completes when the item's file is complete on disk.</param>
    public Task<string> MergePipedAsync(SegmentPlan plan, string staging, Func<FetchItem, CancellationToken, Task> whenReady, CancellationToken ct) =>
        RunAsync(["-f", "mpegts", "-i", "pipe:0"], ["-moov_size", MoovReserve(plan.Playlist.Duration).ToString(CultureInfo.InvariantCulture)], staging, async (stdin, token) =>
        {
            foreach (var item in plan.Items)
            {
                await whenReady(item, token).ConfigureAwait(false);
                await using var file = new FileStream(Path.Combine(staging, item.FileName), FileMode.Open, FileAccess.Read, FileShare.Read,
                    1, FileOptions.Asynchronous | FileOptions.SequentialScan);
                await file.CopyToAsync(stdin, PipeChunk, token).ConfigureAwait(false);
            }
        }, ct);

    public async Task<string> MergeAsync(SegmentPlan plan, string staging, CancellationToken ct)
    {
        var groups = Groups(plan, staging);
        string[] faststart = ["-movflags", "+faststart"];
        if (groups.Count == 1) return await RunAsync(["-i", "concatf:" + WriteList(staging, "concat-0.txt", groups[0])], faststart, staging, null, ct).ConfigureAwait(false);
        var demuxer = new StringBuilder("ffconcat version 1.0\n");
        for (var g = 0; g < groups.Count; g++)
            demuxer.Append(CultureInfo.InvariantCulture, $"file 'concatf:{WriteList(staging, $"concat-{g}.txt", groups[g])}'\n");
        var list = Path.Combine(staging, "concat.ffconcat");
        await File.WriteAllTextAsync(list, demuxer.ToString(), ct).ConfigureAwait(false);
        return await RunAsync(["-f", "concat", "-safe", "0", "-protocol_whitelist", "file,concatf,concat", "-i", list], faststart, staging, null, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Bytes reserved for the moov box: generous for 60 fps video with B-frames plus AAC (a moov costs
    /// about 5-20 bytes per sample); the unused rest stays as a "free" box (well under 1 % of a video).
    /// </summary>
    public static long MoovReserve(double durationSeconds) => 64 * 1024 + (long)(Math.Max(durationSeconds, 1) * 2500);

    private async Task<string> RunAsync(string[] input, string[] muxFlags, string staging, Func<Stream, CancellationToken, Task>? stdin, CancellationToken ct)
    {
        var output = Path.Combine(staging, OutputFile);
        var temp = Path.Combine(staging, TempFile);
        try
        {
            await ProcessRunner.RunCheckedAsync(new ProcessSpec(tools.FfmpegPath,
            [
                "-hide_banner", "-nostdin", "-v", "error", "-y", .. input,
                "-map", "0:v?", "-map", "0:a?", "-c", "copy", .. muxFlags, "-f", "mp4", temp,
            ])
            {
                Timeout = TimeSpan.FromMinutes(options.MergeTimeoutMinutes),
                StandardInput = stdin,
                NotFoundHint = $"install ffmpeg or set {MediaToolOptions.Section}:{nameof(MediaToolOptions.FfmpegPath)}",
            }, ct).ConfigureAwait(false);
        }
        catch
        {
            // Never leave a partial MP4 that something could mistake for a result.
            try { File.Delete(temp); } catch (IOException) { }
            throw;
        }
        File.Move(temp, output, overwrite: true);
        return output;
    }

    public async Task<TimeSpan> ProbeDurationAsync(string file, CancellationToken ct)
    {
        var result = await ProcessRunner.RunCheckedAsync(new ProcessSpec(tools.FfprobePath,
            ["-v", "error", "-show_entries", "format=duration", "-of", "default=noprint_wrappers=1:nokey=1", file])
        {
            CaptureStdout = true,
            Timeout = TimeSpan.FromMinutes(2),
            NotFoundHint = $"install ffmpeg or set {MediaToolOptions.Section}:{nameof(MediaToolOptions.FfprobePath)}",
        }, ct).ConfigureAwait(false);
        return double.TryParse(result.Stdout.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : throw new HlsDownloadException($"ffprobe gave no duration for {file}: '{result.Stdout.Trim()}'", kind: HlsFailure.Remux);
    }

    /// <summary>Runs of files between discontinuities; the fMP4 init section starts every run.</summary>
    private static List<List<string>> Groups(SegmentPlan plan, string staging)
    {
        var init = plan.Items.FirstOrDefault(i => i.IsInit);
        var groups = new List<List<string>>();
        List<string>? current = null;
        var segments = plan.Items.Where(i => !i.IsInit).ToList();
        for (var i = 0; i < segments.Count; i++)
        {
            if (current is null || plan.Playlist.Segments[i].Discontinuity)
            {
                current = [];
                if (init is not null) current.Add(Path.Combine(staging, init.FileName));
                groups.Add(current);
            }
            current.Add(Path.Combine(staging, segments[i].FileName));
        }
        return groups;
    }

    private static string WriteList(string staging, string name, List<string> files)
    {
        var path = Path.Combine(staging, name);
        File.WriteAllText(path, string.Join('\n', files) + "\n");
        return path;
    }
}
