using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using NasSav.Downloader;
using NasSav.Downloader.Engine;
using NasSav.Downloader.Engine.Playlists;
using NasSav.Media.Processes;

namespace NasSav.Bench.Hls;

/// <summary>
/// The HLS engine against <c>ffmpeg -i URL -c copy out.mp4</c> on the same local server, with and
/// without injected latency, plus the parallel-fetch bound: every segment fetched by N concurrent
/// GETs and discarded (no disk, no merge), i.e. what the network path allows at that parallelism;
/// and <c>nassav get</c>, the same engine as a user runs it from the command line (a new process each time).
/// </summary>
public static class HlsBench
{
    public sealed record Options(string Cache, int[] LatenciesMs, int Parallelism, string[] Streams, int Repeat, bool FetchOnly, string? Work);

    public static Options Parse(string[] args)
    {
        string? Get(string name) => BenchArgs.String(args, name);
        return new Options(
            Get("--cache") ?? Path.Combine(Path.GetTempPath(), "nassav-bench-hls"),
            (Get("--latency-ms") ?? "0,50").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray(),
            int.Parse(Get("--parallel") ?? "8", CultureInfo.InvariantCulture),
            (Get("--streams") ?? "large,many").Split(','),
            int.Parse(Get("--repeat") ?? "3", CultureInfo.InvariantCulture),
            args.Contains("--fetch-only"),
            Get("--work"));
    }

    public static async Task RunAsync(string[] args)
    {
        var o = Parse(args);
        var ct = CancellationToken.None;
        Console.WriteLine($"# NasSav HLS benchmark ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version})");
        Console.WriteLine();
        var streams = new List<BenchStream>();
        foreach (var s in o.Streams)
            streams.Add(await HlsStreamCache.ByNameAsync(o.Cache, s, ct));
        foreach (var s in streams)
            Console.WriteLine($"Stream {s.Name}: {s.Segments} segments, {s.MegaBytes:0} MiB (mean {s.Bytes / s.Segments / 1024} KiB).");
        Console.WriteLine();

        await using var server = await HlsStaticServer.StartAsync(o.Cache);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Downloader:Engine:Parallelism"] = o.Parallelism.ToString(CultureInfo.InvariantCulture),
            ["Downloader:Engine:ReserveFreeMegabytes"] = "0",
        }).Build();
        await using var services = new ServiceCollection()
            .AddLogging(l => { if (args.Contains("--verbose")) l.AddSimpleConsole(c => c.TimestampFormat = "HH:mm:ss.fff "); })
            .AddDownloader(configuration).BuildServiceProvider();
        var engine = services.GetRequiredService<IHlsDownloader>();
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = o.Parallelism }) { Timeout = TimeSpan.FromMinutes(10) };
        // Where the engine's staging and ffmpeg's output go: the file system's cost of creating a
        // file per segment differs widely (see docs/benchmarks.md), so it can be chosen.
        var work = o.Work is null
            ? Directory.CreateTempSubdirectory("nassav-bench-hls-run-").FullName
            : Directory.CreateDirectory(Path.Combine(o.Work, $"nassav-bench-hls-run-{Guid.NewGuid():N}")).FullName;
        try
        {
            Console.WriteLine($"Median of {o.Repeat} interleaved runs per row, after one warm-up round. download s: until the last segment is on disk (the engine remuxes while it fetches); total s: until the MP4 is complete (engine: faststart and ffprobe included).");
            Console.WriteLine();
            Console.WriteLine("| stream | latency | method | download s | total s | MiB/s (total) | MP4 duration s |");
            Console.WriteLine("|---|---:|---|---:|---:|---:|---:|");
            foreach (var stream in streams)
            {
                foreach (var latency in o.LatenciesMs)
                {
                    server.Latency = TimeSpan.FromMilliseconds(latency);
                    var url = new Uri($"{server.Url}/{stream.Name}/playlist.m3u8");
                    void Row(string method, double? download, double total, double? duration) =>
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"| {stream.Name} | {latency} ms | {method} | {(download is { } d ? d.ToString("0.00", CultureInfo.InvariantCulture) : "-")} | {total:0.00} | {stream.MegaBytes / total:0.0} | {(duration is { } du ? du.ToString("0.00", CultureInfo.InvariantCulture) : "-")} |"));

                    // Interleaved repeats, medians reported: the build machine is shared and noisy.
                    var bounds = new List<double>();
                    var engines = new List<(double Download, double Total, double Duration)>();
                    var gets = new List<(double Download, double Total, double Duration)>();
                    var ffmpegs = new List<(double Total, double Duration)>();
                    var fetches = new List<double>();
                    // One round first, not counted: the JIT compiles the engine's code and the server
                    // loads the stream into memory (a long-running downloader pays the JIT once).
                    for (var r = -1; r < o.Repeat; r++)
                    {
                        var fetchBound = await ParallelFetchAsync(http, url, o.Parallelism, ct);
                        var engineRun = await EngineAsync(engine, url, Path.Combine(work, "engine"), ct);
                        var getRun = await NassavGet.RunAsync(url, Path.Combine(work, "get.mp4"), o.Parallelism, ct);
                        double? fetchOnly = o.FetchOnly ? await EngineFetchOnly.RunAsync(services, url, Path.Combine(work, "fetch"), ct) : null;
                        var ffmpegRun = await FfmpegAsync(url, Path.Combine(work, "ffmpeg.mp4"), ct);
                        if (r < 0) continue;
                        bounds.Add(fetchBound);
                        engines.Add(engineRun);
                        gets.Add(getRun);
                        if (fetchOnly is { } fetched) fetches.Add(fetched);
                        ffmpegs.Add(ffmpegRun);
                    }
                    var bound = Median(bounds);
                    Row($"parallel-fetch bound ({o.Parallelism} GETs, discarded)", bound, bound, null);
                    var e = engines.OrderBy(x => x.Total).ElementAt(engines.Count / 2);
                    Row($"NasSav engine ({o.Parallelism} parallel)", e.Download, e.Total, e.Duration);
                    var g = gets.OrderBy(x => x.Total).ElementAt(gets.Count / 2);
                    Row($"nassav get ({o.Parallelism} parallel, a process: start-up included)", g.Download, g.Total, g.Duration);
                    if (o.FetchOnly)
                    {
                        var fetch = Median(fetches);
                        Row($"NasSav engine, fetch only ({o.Parallelism} parallel, no remux)", fetch, fetch, null);
                    }
                    var f = ffmpegs.OrderBy(x => x.Total).ElementAt(ffmpegs.Count / 2);
                    Row("ffmpeg -i URL -c copy", null, f.Total, f.Duration);
                }
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static async Task<(double Download, double Total, double Duration)> EngineAsync(IHlsDownloader engine, Uri url, string staging, CancellationToken ct)
    {
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        var clock = Stopwatch.StartNew();
        var progress = new MergeStart(clock);
        var result = await engine.DownloadAsync(new HlsDownloadRequest(url, staging, new Dictionary<string, string>()), progress, ct);
        var total = clock.Elapsed.TotalSeconds;
        Directory.Delete(staging, recursive: true);
        return (progress.At ?? total, total, result.Duration.TotalSeconds);
    }

    /// <summary>Records when the merge phase began (download time = everything before it).</summary>
    private sealed class MergeStart(Stopwatch clock) : IProgress<HlsProgress>
    {
        public double? At { get; private set; }

        public void Report(HlsProgress value)
        {
            if (value.Phase == HlsPhase.Merge) At ??= clock.Elapsed.TotalSeconds;
        }
    }

    private static async Task<(double Total, double Duration)> FfmpegAsync(Uri url, string output, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        await ProcessRunner.RunCheckedAsync(new ProcessSpec("ffmpeg", ["-hide_banner", "-nostdin", "-v", "error", "-y", "-i", url.ToString(), "-c", "copy", output]), ct);
        var total = clock.Elapsed.TotalSeconds;
        var probe = await ProcessRunner.RunCheckedAsync(new ProcessSpec("ffprobe",
            ["-v", "error", "-show_entries", "format=duration", "-of", "default=noprint_wrappers=1:nokey=1", output]) { CaptureStdout = true }, ct);
        File.Delete(output);
        return (total, double.Parse(probe.Stdout.Trim(), CultureInfo.InvariantCulture));
    }

    private static async Task<double> ParallelFetchAsync(HttpClient http, Uri url, int parallelism, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var playlist = (MediaPlaylist)PlaylistParser.Parse(await http.GetStringAsync(url, ct), url);
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, parallelism).Select(async _ =>
        {
            var buffer = ArrayPool<byte>.Shared.Rent(128 * 1024);
            try
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < playlist.Segments.Count)
                {
                    using var response = await http.GetAsync(playlist.Segments[i].Uri, HttpCompletionOption.ResponseHeadersRead, ct);
                    response.EnsureSuccessStatusCode();
                    await using var body = await response.Content.ReadAsStreamAsync(ct);
                    while (await body.ReadAsync(buffer, ct) > 0) { }
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }));
        return clock.Elapsed.TotalSeconds;
    }
}
