using System.Globalization;
using NasSav.Media.Processes;

namespace NasSav.Bench.Hls;

/// <summary>A benchmark stream: its folder (playlist.m3u8 + seg*.ts) and how it was cut.</summary>
public sealed record BenchStream(string Name, string Dir, int Segments, long Bytes)
{
    public double MegaBytes => Bytes / 1048576.0;
}

/// <summary>
/// The benchmark's HLS streams, encoded once into a cache folder and reused: what HLS sites serve,
/// H.264 (x264 ultrafast, capped at a fixed bitrate; noise on testsrc so the encoder cannot shrink it)
/// with AAC audio, a fixed GOP so the cut is exact.
/// </summary>
public static class HlsStreamCache
{
    /// <summary>A stream by its option name: "large" or "many".</summary>
    public static Task<BenchStream> ByNameAsync(string cache, string name, CancellationToken ct) => name switch
    {
        "large" => LargeSegmentsAsync(cache, ct),
        "many" => ManySegmentsAsync(cache, ct),
        _ => throw new ArgumentException($"unknown stream '{name}' (large, many)"),
    };

    /// <summary>~300 MB in 2 s segments of ~3 MB.</summary>
    public static Task<BenchStream> LargeSegmentsAsync(string cache, CancellationToken ct) =>
        EnsureAsync(cache, "large-3MB-h264", size: "640x360", bitrate: "12M", segmentSeconds: 2, seconds: 200, ct);

    /// <summary>~1000 segments of ~100 KB (1 s each).</summary>
    public static Task<BenchStream> ManySegmentsAsync(string cache, CancellationToken ct) =>
        EnsureAsync(cache, "many-100KB-h264", size: "320x180", bitrate: "800k", segmentSeconds: 1, seconds: 1000, ct);

    private static async Task<BenchStream> EnsureAsync(string cache, string name, string size, string bitrate, int segmentSeconds, int seconds, CancellationToken ct)
    {
        var dir = Path.Combine(cache, name);
        if (!File.Exists(Path.Combine(dir, "playlist.m3u8")))
        {
            Console.Error.WriteLine($"Encoding the {name} stream into {dir} (once; cached) ...");
            var work = Directory.CreateDirectory(dir + ".tmp-" + Guid.NewGuid().ToString("N")).FullName;
            var gop = (25 * segmentSeconds).ToString(CultureInfo.InvariantCulture);
            await ProcessRunner.RunCheckedAsync(new ProcessSpec("ffmpeg",
            [
                "-hide_banner", "-nostdin", "-v", "error", "-y",
                "-f", "lavfi", "-i", $"testsrc=size={size}:rate=25,noise=alls=60:allf=t",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", seconds.ToString(CultureInfo.InvariantCulture),
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-b:v", bitrate, "-maxrate", bitrate, "-bufsize", "4M",
                "-g", gop, "-keyint_min", gop, "-sc_threshold", "0", "-c:a", "aac", "-b:a", "128k",
                "-f", "hls", "-hls_time", segmentSeconds.ToString(CultureInfo.InvariantCulture), "-hls_list_size", "0",
                "-hls_playlist_type", "vod", "-hls_segment_filename", Path.Combine(work, "seg%d.ts"), Path.Combine(work, "playlist.m3u8"),
            ]), ct);
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            Directory.Move(work, dir);
        }
        var segments = Directory.GetFiles(dir, "*.ts");
        return new BenchStream(name, dir, segments.Length, segments.Sum(f => new FileInfo(f).Length));
    }
}
