using System.Globalization;
using Microsoft.Extensions.Options;
using NasSav.Media.Processes;

namespace NasSav.Catalog.Thumbnails;

/// <summary>Makes a JPEG thumbnail of an image file.</summary>
public interface IThumbnailer
{
    /// <summary>Writes <paramref name="outputPath"/> (JPEG) no wider than <paramref name="maxWidth"/>, keeping the aspect ratio.</summary>
    /// <exception cref="ThumbnailException">the image could not be converted</exception>
    Task CreateAsync(string inputPath, string outputPath, int maxWidth, CancellationToken ct = default);
}

public sealed class ThumbnailException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Thumbnails with ffmpeg as a process (no image library restores here): Lanczos scaling to the
/// target width, never upscaling (a narrower image keeps its size), aspect ratio kept, alpha
/// dropped, baseline JPEG at about quality 85 (<c>-q:v 3</c>). Reads jpg, png and webp.
/// </summary>
public sealed class FfmpegThumbnailer(IOptions<MediaToolOptions> options) : IThumbnailer
{
    public async Task CreateAsync(string inputPath, string outputPath, int maxWidth, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWidth, 1);
        var o = options.Value;
        var width = maxWidth.ToString(CultureInfo.InvariantCulture);
        var spec = new ProcessSpec(o.FfmpegPath,
        [
            "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
            "-i", inputPath,
            "-frames:v", "1",
            "-vf", $"scale=w='min(iw,{width})':h=-1:flags=lanczos,format=yuvj420p",
            "-map_metadata", "-1",
            "-c:v", "mjpeg", "-q:v", "3",
            "-f", "image2", outputPath,
        ])
        {
            Timeout = TimeSpan.FromSeconds(o.ThumbnailTimeoutSeconds),
            NotFoundHint = $"install ffmpeg or set {MediaToolOptions.Section}:{nameof(MediaToolOptions.FfmpegPath)}",
        };

        try
        {
            var result = await ProcessRunner.RunAsync(spec, ct);
            if (!result.Succeeded)
                throw new ThumbnailException($"ffmpeg exited with code {result.ExitCode} for '{Path.GetFileName(inputPath)}': {result.StderrTail}");
        }
        catch (ProcessRunException ex)
        {
            throw new ThumbnailException(ex.Message, ex);
        }

        var output = new FileInfo(outputPath);
        if (!output.Exists || output.Length == 0)
            throw new ThumbnailException($"ffmpeg wrote no image for '{Path.GetFileName(inputPath)}'");
    }
}
