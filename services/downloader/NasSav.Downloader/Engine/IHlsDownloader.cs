namespace NasSav.Downloader.Engine;

/// <summary>Downloads one HLS stream into a staging folder and remuxes it to a single MP4 there.</summary>
public interface IHlsDownloader
{
    /// <exception cref="HlsDownloadException">the stream cannot be had; the message says why.</exception>
    Task<HlsDownloadResult> DownloadAsync(HlsDownloadRequest request, IProgress<HlsProgress>? progress, CancellationToken ct);
}

/// <param name="PlaylistUrl">Master or media playlist.</param>
/// <param name="StagingDirectory">This attempt's own folder; segments already in it are reused (resume).</param>
/// <param name="Headers">Sent with every playlist, key and segment request (Referer, Cookie, User-Agent...).</param>
/// <param name="MaxHeight">Pick the best variant no taller than this; null means the highest bandwidth.</param>
/// <param name="ResumeFrom">Earlier staging folders of the same stream whose finished segments may be reused.</param>
public sealed record HlsDownloadRequest(
    Uri PlaylistUrl,
    string StagingDirectory,
    IReadOnlyDictionary<string, string> Headers,
    int? MaxHeight = null,
    IReadOnlyList<string>? ResumeFrom = null);

public enum HlsPhase { Download, Merge }

public sealed record HlsProgress(
    HlsPhase Phase,
    int SegmentsDone,
    int SegmentsTotal,
    long BytesDone,
    /// <summary>Estimated total bytes (byte ranges, or the mean segment size so far times the count).</summary>
    long? BytesTotal,
    double BytesPerSecond,
    TimeSpan? Eta)
{
    public double Percent => SegmentsTotal == 0 ? 0 : Math.Round(100.0 * SegmentsDone / SegmentsTotal, 2);
}

/// <param name="Mp4Path">The finished file inside the staging folder.</param>
public sealed record HlsDownloadResult(string Mp4Path, long Size, TimeSpan Duration, int Segments)
{
    public const string NativeRemux = "native";
    public const string FfmpegRemux = "ffmpeg";

    /// <summary>Which remux made the MP4: <see cref="NativeRemux"/> (in process) or <see cref="FfmpegRemux"/>.</summary>
    public string Remuxer { get; init; } = FfmpegRemux;
}

/// <summary>What kind of failure stopped a download: lets a caller (the <c>nassav get</c> exit code) tell them apart.</summary>
public enum HlsFailure
{
    /// <summary>A playlist, key or segment could not be had after every attempt (or a write failed).</summary>
    Network,
    /// <summary>The request itself is unusable: not an http(s) URL, a header that cannot be sent.</summary>
    BadRequest,
    /// <summary>Not a playlist, a live playlist, DRM, an encryption or layout the engine refuses.</summary>
    UnsupportedStream,
    /// <summary>The staging volume cannot hold the download.</summary>
    DiskSpace,
    /// <summary>ffmpeg or ffprobe failed (or is missing) while making the MP4.</summary>
    Remux,
}

public sealed class HlsDownloadException(string message, Exception? inner = null, HlsFailure kind = HlsFailure.Network) : Exception(message, inner)
{
    public HlsFailure Kind { get; } = kind;
}
