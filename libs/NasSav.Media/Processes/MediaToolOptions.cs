namespace NasSav.Media.Processes;

/// <summary>External media tools (config section <c>Media</c>): thumbnails in the catalog, probing in the downloader.</summary>
public sealed class MediaToolOptions
{
    public const string Section = "Media";
    /// <summary>ffmpeg executable: a name looked up on PATH only (resolved once at start) or a path.</summary>
    public string FfmpegPath { get; set; } = "ffmpeg";
    /// <summary>ffprobe executable: a name looked up on PATH only (resolved once at start) or a path.</summary>
    public string FfprobePath { get; set; } = "ffprobe";
    /// <summary>Upper bound for making one thumbnail; the process is killed past it.</summary>
    public int ThumbnailTimeoutSeconds { get; set; } = 30;

    public static IEnumerable<string?> Validate(MediaToolOptions o)
    {
        if (string.IsNullOrWhiteSpace(o.FfmpegPath)) yield return "FfmpegPath must not be empty";
        if (string.IsNullOrWhiteSpace(o.FfprobePath)) yield return "FfprobePath must not be empty";
        if (o.ThumbnailTimeoutSeconds is < 1 or > 600) yield return $"ThumbnailTimeoutSeconds {o.ThumbnailTimeoutSeconds} must be between 1 and 600";
    }
}
