using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using NasSav.Media.Processes;

namespace NasSav.Downloader.Tests.Fixtures;

/// <summary>
/// HLS fixture streams, encoded once per test run with ffmpeg (10 s of testsrc + sine, libx264 with a
/// 1 s GOP, so 2 s segments are exact) and cut without re-encoding into every form the tests need.
/// Each folder holds playlist.m3u8 and its files; served by <see cref="HlsServer"/> under /{folder}/.
/// </summary>
public sealed partial class HlsFixtures
{
    public const double ClipSeconds = 10;
    public const int SegmentCount = 5;
    /// <summary>The key of "aes" (explicit IV) and "seqiv" (media-sequence IV).</summary>
    public static readonly byte[] Key = Convert.FromHexString("000102030405060708090a0b0c0d0e0f");
    public const string ExplicitIv = "0x1f2e3d4c5b6a79880123456789abcdef";
    /// <summary>EXT-X-MEDIA-SEQUENCE of "seqiv": IVs are 7, 8, ... as 16-byte big-endian numbers.</summary>
    public const long SeqIvFirstSequence = 7;

    private static readonly Lazy<Task<HlsFixtures>> Instance = new(() => CreateAsync());

    public string Root { get; }

    private HlsFixtures(string root) => Root = root;

    public static Task<HlsFixtures> GetAsync() => Instance.Value;

    public string Dir(string name) => Path.Combine(Root, name);

    private static async Task<HlsFixtures> CreateAsync()
    {
        var root = Directory.CreateTempSubdirectory("nassav-hls-fixtures-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(root, true); } catch (IOException) { } };
        var clip = Path.Combine(root, "clip.mp4");
        await FfmpegAsync(
            "-f", "lavfi", "-i", "testsrc=size=320x180:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
            "-t", ClipSeconds.ToString(CultureInfo.InvariantCulture), "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
            "-g", "25", "-keyint_min", "25", "-sc_threshold", "0", "-c:a", "aac", "-b:a", "64k", clip);
        string[] hls = ["-i", clip, "-c", "copy", "-f", "hls", "-hls_time", "2", "-hls_list_size", "0", "-hls_playlist_type", "vod"];

        await CutAsync(root, "plain", [.. hls, "-hls_segment_filename", Path.Combine(root, "plain", "seg%d.ts")]);

        var keyFile = Path.Combine(root, "key.bin");
        await File.WriteAllBytesAsync(keyFile, Key);
        var keyInfo = Path.Combine(root, "key.info");
        await File.WriteAllTextAsync(keyInfo, $"key.bin?k=1\n{keyFile}\n{ExplicitIv[2..]}\n");
        await CutAsync(root, "aes", [.. hls, "-hls_key_info_file", keyInfo, "-hls_segment_filename", Path.Combine(root, "aes", "seg%d.ts")]);
        File.Copy(keyFile, Path.Combine(root, "aes", "key.bin"));

        await CutAsync(root, "fmp4", [.. hls, "-hls_segment_type", "fmp4", "-hls_fmp4_init_filename", "init.mp4",
            "-hls_segment_filename", Path.Combine(root, "fmp4", "seg%d.m4s")]);
        await CutAsync(root, "fmp4-single", [.. hls, "-hls_segment_type", "fmp4", "-hls_flags", "single_file"]);
        await CutAsync(root, "ranges", [.. hls, "-hls_flags", "single_file"]);
        await CutAsync(root, "video-only", ["-i", clip, "-map", "0:v", "-c", "copy", .. hls[4..], "-hls_segment_filename", Path.Combine(root, "video-only", "seg%d.ts")]);
        // Timestamps start 5 s before the 33-bit transport clock wraps (2^33 / 90 kHz = 95443.7 s).
        await CutAsync(root, "wrap", [.. hls, "-output_ts_offset", "95438.7", "-hls_segment_filename", Path.Combine(root, "wrap", "seg%d.ts")]);
        // Open GOP: random access points are I-frames with a recovery point SEI, not IDR frames.
        await CutAsync(root, "open-gop", ["-f", "lavfi", "-i", "testsrc=size=320x180:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
            "-t", ClipSeconds.ToString(CultureInfo.InvariantCulture), "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
            "-x264-params", "open-gop=1:keyint=25:min-keyint=25:scenecut=0", "-c:a", "aac", "-b:a", "64k", .. hls[4..],
            "-hls_segment_filename", Path.Combine(root, "open-gop", "seg%d.ts")]);
        // Codecs the native remux leaves to ffmpeg.
        await CutAsync(root, "mpeg2", ["-f", "lavfi", "-i", "testsrc=size=320x180:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
            "-t", ClipSeconds.ToString(CultureInfo.InvariantCulture), "-c:v", "mpeg2video", "-g", "25", "-c:a", "mp2", .. hls[4..],
            "-hls_segment_filename", Path.Combine(root, "mpeg2", "seg%d.ts")]);
        WriteRangesWithoutOffsets(root);
        WriteOverstatedDurations(root);
        await WriteSequenceIvAsync(root);
        return new HlsFixtures(root);
    }

    private static async Task CutAsync(string root, string name, string[] args)
    {
        var dir = Directory.CreateDirectory(Path.Combine(root, name)).FullName;
        await FfmpegAsync([.. args, Path.Combine(dir, "playlist.m3u8")]);
    }

    [GeneratedRegex(@"#EXT-X-BYTERANGE:(\d+)@\d+")]
    private static partial Regex RangeWithOffset();

    /// <summary>"ranges-continued": the single-file playlist with every offset but the first dropped (each range follows the previous one).</summary>
    private static void WriteRangesWithoutOffsets(string root)
    {
        var dir = Directory.CreateDirectory(Path.Combine(root, "ranges-continued")).FullName;
        var text = File.ReadAllText(Path.Combine(root, "ranges", "playlist.m3u8"));
        var first = true;
        text = RangeWithOffset().Replace(text, m =>
        {
            if (first) { first = false; return m.Value; }
            return "#EXT-X-BYTERANGE:" + m.Groups[1].Value;
        });
        File.WriteAllText(Path.Combine(dir, "playlist.m3u8"), text);
        foreach (var f in Directory.GetFiles(Path.Combine(root, "ranges"), "*.ts")) File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
    }

    /// <summary>"overstated": the plain segments behind a playlist whose EXTINF claims ten times their duration.</summary>
    private static void WriteOverstatedDurations(string root)
    {
        var dir = Directory.CreateDirectory(Path.Combine(root, "overstated")).FullName;
        var text = Regex.Replace(File.ReadAllText(Path.Combine(root, "plain", "playlist.m3u8")), @"#EXTINF:([0-9.]+)",
            m => "#EXTINF:" + (double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * 10).ToString("0.000000", CultureInfo.InvariantCulture));
        text = Regex.Replace(text, @"#EXT-X-TARGETDURATION:\d+", "#EXT-X-TARGETDURATION:20");
        File.WriteAllText(Path.Combine(dir, "playlist.m3u8"), text);
        foreach (var f in Directory.GetFiles(Path.Combine(root, "plain"), "*.ts")) File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
    }

    /// <summary>"seqiv": the plain segments encrypted by us, with a playlist whose key has no IV (the IV is the media sequence number).</summary>
    private static async Task WriteSequenceIvAsync(string root)
    {
        var dir = Directory.CreateDirectory(Path.Combine(root, "seqiv")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(dir, "key.bin"), Key);
        var text = new StringBuilder($"#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:{SeqIvFirstSequence}\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-KEY:METHOD=AES-128,URI=\"key.bin\"\n");
        var plain = File.ReadAllLines(Path.Combine(root, "plain", "playlist.m3u8"));
        var index = 0;
        for (var i = 0; i < plain.Length; i++)
        {
            if (!plain[i].StartsWith("#EXTINF", StringComparison.Ordinal)) continue;
            var segment = plain[i + 1];
            using var aes = Aes.Create();
            aes.Key = Key;
            var iv = new byte[16];
            System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(iv.AsSpan(8), SeqIvFirstSequence + index);
            var encrypted = aes.EncryptCbc(await File.ReadAllBytesAsync(Path.Combine(root, "plain", segment)), iv, PaddingMode.PKCS7);
            await File.WriteAllBytesAsync(Path.Combine(dir, segment), encrypted);
            text.Append(plain[i]).Append('\n').Append(segment).Append('\n');
            index++;
        }
        text.Append("#EXT-X-ENDLIST\n");
        await File.WriteAllTextAsync(Path.Combine(dir, "playlist.m3u8"), text.ToString());
    }

    public static Task FfmpegAsync(params string[] args) =>
        ProcessRunner.RunCheckedAsync(new ProcessSpec("ffmpeg", ["-hide_banner", "-nostdin", "-v", "error", "-y", .. args])
        {
            Timeout = TimeSpan.FromMinutes(2),
        });

    public static async Task<double> ProbeSecondsAsync(string file)
    {
        var r = await ProcessRunner.RunCheckedAsync(new ProcessSpec("ffprobe",
            ["-v", "error", "-show_entries", "format=duration", "-of", "default=noprint_wrappers=1:nokey=1", file]) { CaptureStdout = true });
        return double.Parse(r.Stdout.Trim(), CultureInfo.InvariantCulture);
    }
}
