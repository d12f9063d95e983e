using System.Diagnostics;
using System.Globalization;
using NasSav.Downloader;
using NasSav.Downloader.Engine;
using NasSav.Downloader.Engine.Merging;
using NasSav.Downloader.Engine.Playlists;
using NasSav.Media.Processes;

namespace NasSav.Bench.Hls;

/// <summary>
/// The remux step alone, on the benchmark streams' segments already on disk (no network): the native
/// in-process remux against ffmpeg's concat remux with faststart, and ffprobe of the result.
/// </summary>
public static class RemuxBench
{
    public static async Task RunAsync(string[] args)
    {
        var o = HlsBench.Parse(args);
        var ct = CancellationToken.None;
        Console.WriteLine("| stream | remux | s (median) | MiB/s |");
        Console.WriteLine("|---|---|---:|---:|");
        foreach (var name in o.Streams)
        {
            var stream = await HlsStreamCache.ByNameAsync(o.Cache, name, ct);
            var url = new Uri($"http://bench/{stream.Name}/playlist.m3u8");
            var plan = SegmentPlan.Create((MediaPlaylist)PlaylistParser.Parse(await File.ReadAllTextAsync(Path.Combine(stream.Dir, "playlist.m3u8"), ct), url));
            var staging = Directory.CreateTempSubdirectory("nassav-bench-remux-").FullName;
            try
            {
                foreach (var item in plan.Items)
                    File.CreateSymbolicLink(Path.Combine(staging, item.FileName), Path.Combine(stream.Dir, item.Uri.Segments[^1]));
                var ffmpeg = new FfmpegRemuxer(new MediaToolOptions(), new HlsEngineOptions());
                var runs = new Dictionary<string, List<double>> { ["native"] = [], ["ffmpeg concat + faststart"] = [], ["ffprobe"] = [] };
                for (var r = 0; r < o.Repeat; r++)
                {
                    var clock = Stopwatch.StartNew();
                    var mp4 = await new NativeRemuxer().MergeAsync(plan, staging, (_, _) => Task.CompletedTask, ct);
                    runs["native"].Add(clock.Elapsed.TotalSeconds);
                    clock.Restart();
                    await ffmpeg.ProbeDurationAsync(mp4, ct);
                    runs["ffprobe"].Add(clock.Elapsed.TotalSeconds);
                    File.Delete(mp4);
                    clock.Restart();
                    File.Delete(await ffmpeg.MergeAsync(plan, staging, ct));
                    runs["ffmpeg concat + faststart"].Add(clock.Elapsed.TotalSeconds);
                }
                foreach (var (method, times) in runs)
                {
                    var median = times.Order().ElementAt(times.Count / 2);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {stream.Name} | {method} | {median:0.000} | {stream.MegaBytes / median:0} |"));
                }
            }
            finally
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }
}
