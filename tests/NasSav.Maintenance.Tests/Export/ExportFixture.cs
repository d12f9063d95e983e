using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NasSav.Catalog.Data;
using NasSav.Maintenance.Tests.Support;
using NasSav.Media.Avids;
using NasSav.Media.Processes;
using NasSav.Media.Storage;

namespace NasSav.Maintenance.Tests.Export;

/// <summary>Library titles seeded for the export tests, and the probes that read what the export wrote.</summary>
public static class ExportFixture
{
    public const int CoverWidth = 800, CoverHeight = 538;

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static byte[]? _cover;

    public static Dictionary<string, string?> Settings(string folder, string link = "Auto", string include = "Downloaded") => new()
    {
        ["Maintenance:Export:Enabled"] = "true",
        ["Maintenance:Export:Folder"] = folder,
        ["Maintenance:Export:Link"] = link,
        ["Maintenance:Export:Include"] = include,
        ["Maintenance:Export:PublicUrl"] = "http://nas.example:9790",
        ["Maintenance:Export:Cron"] = "off",
    };

    /// <summary>A JavBus-sized cover (800x538): the left half red, the right half (the front) blue.</summary>
    public static async Task<byte[]> CoverAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_cover is not null) return _cover;
            var path = Path.Combine(Path.GetTempPath(), $"nassav-export-cover-{Guid.NewGuid():N}.jpg");
            await ProcessRunner.RunCheckedAsync(new ProcessSpec("ffmpeg",
            [
                "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", $"color=c=red:s=400x{CoverHeight}",
                "-f", "lavfi", "-i", $"color=c=blue:s=400x{CoverHeight}", "-filter_complex", "hstack", "-frames:v", "1", path,
            ]) { Timeout = TimeSpan.FromSeconds(60) });
            _cover = await File.ReadAllBytesAsync(path);
            File.Delete(path);
            return _cover;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>
    /// A title as a metadata scrape leaves it: Japanese original title, Chinese translation, studio/label/series/director
    /// in the metadata JSON, two actors (one with a stored avatar), genres, a cover and (unless <paramref name="video"/>
    /// is null) a video.
    /// </summary>
    public static async Task SeedAsync(MaintenanceApp app, string avid, byte[]? video, Action<Resource>? configure = null)
    {
        var store = app.Services.GetRequiredService<IMediaStore>();
        var id = Avid.Parse(avid);
        await WriteAsync(store, MediaKey.Cover(id), await CoverAsync());
        if (video is not null) await WriteAsync(store, MediaKey.Video(id), video);
        await WriteAsync(store, MediaKey.Avatar("hoshino.jpg"), await TestFiles.JpegAsync());
        await app.CatalogAsync(async db =>
        {
            await Seed.ResourceAsync(db, avid, ["星野ひかり（星野光）", "桐谷しずく"], ["制服", "剧情"], r =>
            {
                r.OriginalTitle = "海辺の町で出会った幼なじみ";
                r.SourceTitle = $"{avid} 海辺の町で出会った幼なじみ";
                r.TranslatedTitle = "在海边小镇遇见的青梅竹马";
                r.TranslationStatus = TranslationStatuses.Completed;
                r.ReleaseDate = "2021-07-26";
                r.Duration = 143 * 60;
                r.Metadata = JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["studio"] = "テストスタジオ", ["label"] = "テスト・ピクチャーズ", ["series"] = "旅する恋人たち", ["director"] = "山田太郎",
                });
                r.CoverFilename = $"{avid}.jpg";
                r.FileExists = video is not null;
                r.FileSize = video?.Length;
                r.VideoSavedAt = video is null ? null : new DateTime(2025, 3, 4, 5, 6, 7, DateTimeKind.Utc);
                configure?.Invoke(r);
            });
            var hoshino = await db.Actors.SingleAsync(a => a.Name == "星野ひかり（星野光）");
            hoshino.AvatarUrl = "http://pics.example/actress/dm01_a.jpg";
            hoshino.AvatarFilename = "hoshino.jpg";
            var kiritani = await db.Actors.SingleAsync(a => a.Name == "桐谷しずく");
            kiritani.AvatarUrl = "http://pics.example/actress/dm02_a.jpg";
            await db.SaveChangesAsync();
        });
    }

    public static async Task WriteAsync(IMediaStore store, MediaKey key, byte[] bytes)
    {
        await using var s = new MemoryStream(bytes);
        await store.WriteAsync(key, s);
    }

    public static async Task<(int Width, int Height)> DimensionsAsync(string image)
    {
        var probe = await ProcessRunner.RunCheckedAsync(new ProcessSpec("ffprobe",
            ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height", "-of", "csv=p=0", image]) { CaptureStdout = true });
        var parts = probe.Stdout.Trim().Split(',');
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    /// <summary>The image's mean colour (scaled to one pixel by ffmpeg) as R, G, B.</summary>
    public static async Task<(int R, int G, int B)> MeanColourAsync(string image)
    {
        var psi = new ProcessStartInfo("ffmpeg", ["-hide_banner", "-loglevel", "error", "-i", image, "-vf", "scale=1:1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(psi)!;
        using var buffer = new MemoryStream();
        await process.StandardOutput.BaseStream.CopyToAsync(buffer);
        await process.WaitForExitAsync();
        var rgb = buffer.ToArray();
        Assert.True(rgb.Length == 3, $"ffmpeg gave {rgb.Length} bytes: {await process.StandardError.ReadToEndAsync()}");
        return (rgb[0], rgb[1], rgb[2]);
    }

    /// <summary>The export-library job's report of a run.</summary>
    public static async Task<JsonElement> RunExportAsync(MaintenanceApp app, bool apply)
    {
        var run = await app.RunJobAsync("export-library", apply);
        return await app.ReportAsync(run.GetProperty("id").GetInt64());
    }
}
