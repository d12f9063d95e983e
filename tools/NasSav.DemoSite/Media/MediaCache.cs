using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using NasSav.DemoSite.Catalog;

namespace NasSav.DemoSite.Media;

/// <summary>
/// Covers, avatars and the HLS streams, generated with ffmpeg into <see cref="DemoOptions.CacheDir"/>
/// before the site starts listening, and reused on the next start (only missing files are made).
/// Images of one kind come from ONE ffmpeg run (one frame per image, text and hue switched per frame
/// with sendcmd); the stream is ONE encoded clip cut into a plain and an AES-128 variant.
/// </summary>
public sealed class MediaCache(DemoOptions options, DemoCatalog catalog, ILogger<MediaCache> logger)
{
    private static readonly string[] FontCandidates =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    ];

    private readonly Ffmpeg _ffmpeg = new(options.Ffmpeg);
    private string Root => Path.GetFullPath(options.CacheDir);

    /// <summary>Cover shown by the metadata page (a.bigImage).</summary>
    public string BusCover(DemoTitle t) => Path.Combine(Root, "covers", "bus", t.Avid + ".jpg");
    /// <summary>Cover shown by the source pages (og:image): another colour and caption, so the one used is visible.</summary>
    public string SourceCover(DemoTitle t) => Path.Combine(Root, "covers", "source", t.Avid + ".jpg");
    public string Avatar(DemoActor a) => Path.Combine(Root, "avatars", a.Id + ".jpg");
    public string PlaceholderAvatar => Path.Combine(Root, "avatars", "nowprinting.gif");
    /// <summary>Folder with playlist.m3u8, seg{N}.ts (and key.bin for AES) shared by every AVID of that kind.</summary>
    public string StreamDir(bool aes) => Path.Combine(Root, $"hls-{options.ClipSeconds}s", aes ? "aes" : "plain");

    public async Task EnsureAsync(CancellationToken ct = default)
    {
        Directory.CreateDirectory(Root);
        var font = FontCandidates.FirstOrDefault(File.Exists);
        if (font is null) logger.LogWarning("No DejaVu/Liberation font found: covers and avatars get no caption");
        var total = Stopwatch.StartNew();
        await Task.WhenAll(
            Timed("covers (metadata site)", () => ImagesAsync(
                [.. catalog.Titles.Select(t => (BusCover(t), t.Avid, t.Hue))], "800x538", "0xb04060", 64, "JavBus-style cover", font, ct)),
            Timed("covers (sources)", () => ImagesAsync(
                [.. catalog.Titles.Select(t => (SourceCover(t), t.Avid, (t.Hue + 180) % 360))], "800x450", "0x3060b0", 56, "source cover", font, ct)),
            Timed("avatars", () => AvatarsAsync(font, ct)),
            Timed("HLS streams", () => StreamsAsync(ct)));
        logger.LogInformation("Media ready in {Elapsed} ms under {Root}", total.ElapsedMilliseconds, Root);
    }

    private async Task Timed(string what, Func<Task<int>> work)
    {
        var sw = Stopwatch.StartNew();
        var made = await work();
        if (made == 0) logger.LogInformation("{What}: all cached ({Elapsed} ms)", what, sw.ElapsedMilliseconds);
        else logger.LogInformation("{What}: generated {Count} in {Elapsed} ms", what, made, sw.ElapsedMilliseconds);
    }

    private async Task<int> AvatarsAsync(string? font, CancellationToken ct)
    {
        var made = await ImagesAsync([.. catalog.Actors.Where(a => !a.Placeholder).Select((a, i) => (Avatar(a), a.Id.ToUpperInvariant(), i * 36))],
            "128x128", "0x40a060", 28, null, font, ct);
        if (!File.Exists(PlaceholderAvatar))
        {
            var tmp = TempPath(PlaceholderAvatar);
            await _ffmpeg.RunAsync(["-f", "lavfi", "-i", "color=c=0xcccccc:s=128x128", "-frames:v", "1", "-f", "gif", tmp], ct);
            Publish(tmp, PlaceholderAvatar);
            made++;
        }
        return made;
    }

    /// <summary>One ffmpeg run renders every missing image: frame i gets item i's caption and hue.</summary>
    private async Task<int> ImagesAsync(IReadOnlyList<(string Path, string Caption, int Hue)> items, string size, string baseColor,
        int fontSize, string? subtitle, string? font, CancellationToken ct)
    {
        var missing = items.Where(i => !File.Exists(i.Path)).ToList();
        if (missing.Count == 0) return 0;
        var work = Directory.CreateDirectory(Path.Combine(Root, "tmp-" + Guid.NewGuid().ToString("N"))).FullName;
        try
        {
            var commands = string.Concat(missing.Select((m, i) =>
                $"{i}.0 hue h {m.Hue}{(font is null ? "" : $", drawtext@caption reinit text={m.Caption}")};\n"));
            await File.WriteAllTextAsync(Path.Combine(work, "commands.txt"), commands, ct);
            var filter = $"sendcmd=f={Path.Combine(work, "commands.txt")},hue";
            if (font is not null)
            {
                filter += $",drawtext@caption=fontfile={font}:text=x:fontsize={fontSize}:fontcolor=white:x=(w-tw)/2:y=(h-th)/2";
                if (subtitle is not null)
                    filter += $",drawtext=fontfile={font}:text='{subtitle}':fontsize={fontSize / 2}:fontcolor=white@0.8:x=(w-tw)/2:y=h-th-{fontSize / 2}";
            }
            await _ffmpeg.RunAsync(
            [
                "-f", "lavfi", "-i", $"color=c={baseColor}:s={size}:r=1:d={missing.Count}",
                "-vf", filter, "-frames:v", missing.Count.ToString(CultureInfo.InvariantCulture),
                "-q:v", "3", "-start_number", "0", Path.Combine(work, "%05d.jpg"),
            ], ct);
            for (var i = 0; i < missing.Count; i++)
                Publish(Path.Combine(work, i.ToString("00000", CultureInfo.InvariantCulture) + ".jpg"), missing[i].Path);
            return missing.Count;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>
    /// Encodes one clip (testsrc + sine, libx264 with a fixed GOP of 1 s so 2 s segments are exact),
    /// then cuts it without re-encoding into a plain and an AES-128 HLS variant (key.bin, explicit IV).
    /// </summary>
    private async Task<int> StreamsAsync(CancellationToken ct)
    {
        var final = Path.GetDirectoryName(StreamDir(false))!;
        if (File.Exists(Path.Combine(StreamDir(false), "playlist.m3u8")) && File.Exists(Path.Combine(StreamDir(true), "playlist.m3u8")))
            return 0;
        var work = Directory.CreateDirectory(Path.Combine(Root, "tmp-" + Guid.NewGuid().ToString("N"))).FullName;
        try
        {
            var clip = Path.Combine(work, "clip.mp4");
            var seconds = options.ClipSeconds.ToString(CultureInfo.InvariantCulture);
            await _ffmpeg.RunAsync(
            [
                "-f", "lavfi", "-i", "testsrc=size=320x180:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-t", seconds, "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
                "-g", "25", "-keyint_min", "25", "-sc_threshold", "0",
                "-c:a", "aac", "-b:a", "64k", clip,
            ], ct);
            string[] hls = ["-i", clip, "-c", "copy", "-f", "hls", "-hls_time", "2", "-hls_list_size", "0", "-hls_playlist_type", "vod"];

            var plain = Directory.CreateDirectory(Path.Combine(work, "plain")).FullName;
            await _ffmpeg.RunAsync([.. hls, "-hls_segment_filename", Path.Combine(plain, "seg%d.ts"), Path.Combine(plain, "playlist.m3u8")], ct);

            var aes = Directory.CreateDirectory(Path.Combine(work, "aes")).FullName;
            await File.WriteAllBytesAsync(Path.Combine(aes, "key.bin"), RandomNumberGenerator.GetBytes(16), ct);
            var keyInfo = Path.Combine(work, "key.info");
            // Line 1: the key URI written into the playlist (relative: served next to the playlist); 2: key file; 3: IV.
            await File.WriteAllTextAsync(keyInfo, $"key.bin\n{Path.Combine(aes, "key.bin")}\n{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}\n", ct);
            await _ffmpeg.RunAsync([.. hls, "-hls_key_info_file", keyInfo, "-hls_segment_filename", Path.Combine(aes, "seg%d.ts"), Path.Combine(aes, "playlist.m3u8")], ct);
            File.Delete(keyInfo);

            if (Directory.Exists(final)) Directory.Delete(final, recursive: true);   // an incomplete earlier run
            Directory.Move(work, final);
            return 2;
        }
        finally
        {
            if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        }
    }

    private static string TempPath(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path + ".tmp-" + Guid.NewGuid().ToString("N");
    }

    /// <summary>Moves a finished file into place; another process that got there first wins.</summary>
    private static void Publish(string from, string to)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        try
        {
            File.Move(from, to, overwrite: false);
        }
        catch (IOException) when (File.Exists(to))
        {
            File.Delete(from);
        }
    }
}
