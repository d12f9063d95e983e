using NasSav.Media.Processes;

namespace NasSav.Maintenance.Export;

/// <summary>
/// poster.jpg (a 2:3 portrait crop of the landscape cover, the side <see cref="PosterCrop"/> says: a JAV cover's front
/// is its right part) and fanart.jpg (the whole cover), made with ffmpeg (no image library here, as for thumbnails).
/// Both are written to a temporary name and renamed, so a media server never reads half a picture.
/// </summary>
public sealed class ExportArtwork(MediaToolOptions tools)
{
    public const string Poster = "poster.jpg";
    public const string Fanart = "fanart.jpg";

    public Task MakePosterAsync(string cover, string target, PosterCrop crop, CancellationToken ct)
    {
        const string width = "min(iw,ih*2/3)";
        var x = crop switch
        {
            PosterCrop.Left => "0",
            PosterCrop.Center => $"(iw-{width})/2",
            _ => $"iw-{width}",
        };
        return FfmpegAsync(cover, target, ["-vf", $"crop=w='{width}':h=ih:x='{x}':y=0"], ct);
    }

    public async Task MakeFanartAsync(string cover, string target, CancellationToken ct)
    {
        if (Path.GetExtension(cover).ToLowerInvariant() is ".jpg" or ".jpeg")
        {
            var temp = TempName(target);
            File.Copy(cover, temp, overwrite: true);
            File.Move(temp, target, overwrite: true);
            return;
        }
        await FfmpegAsync(cover, target, [], ct);
    }

    private async Task FfmpegAsync(string input, string target, IReadOnlyList<string> filter, CancellationToken ct)
    {
        var temp = TempName(target);
        try
        {
            await ProcessRunner.RunCheckedAsync(new ProcessSpec(tools.FfmpegPath,
                ["-hide_banner", "-nostdin", "-v", "error", "-y", "-i", input, .. filter, "-frames:v", "1", "-q:v", "2", "-f", "mjpeg", temp])
            {
                Timeout = TimeSpan.FromSeconds(tools.ThumbnailTimeoutSeconds),
                NotFoundHint = "install ffmpeg or set Media:FfmpegPath",
            }, ct);
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    private static string TempName(string target) => Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.partial");
}
