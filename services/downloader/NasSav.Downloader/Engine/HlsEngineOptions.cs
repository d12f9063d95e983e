namespace NasSav.Downloader.Engine;

/// <summary>The native HLS engine (config section <c>Downloader:Engine</c>).</summary>
public enum RemuxerChoice
{
    Native,
    Ffmpeg,
}

public sealed class HlsEngineOptions
{
    public const string Section = "Downloader:Engine";

    /// <summary>Segments fetched at once.</summary>
    public int Parallelism { get; set; } = 8;
    /// <summary>Attempts per segment, key or playlist before the download fails closed.</summary>
    public int Attempts { get; set; } = 5;
    /// <summary>First retry delay; doubled on each further attempt up to <see cref="RetryMaxDelayMs"/>.</summary>
    public int RetryBaseDelayMs { get; set; } = 500;
    public int RetryMaxDelayMs { get; set; } = 8000;
    /// <summary>A segment that receives no byte for this long is cancelled and retried.</summary>
    public int StallTimeoutMs { get; set; } = 10_000;
    /// <summary>Upper bound for a playlist or key request (segments are bounded by the stall watchdog instead).</summary>
    public int RequestTimeoutMs { get; set; } = 30_000;
    /// <summary>At most one progress report per interval; the last one is always sent.</summary>
    public int ProgressIntervalMs { get; set; } = 500;
    /// <summary>Space kept free on the staging volume on top of what the download needs.</summary>
    public long ReserveFreeMegabytes { get; set; } = 512;
    /// <summary>Copy buffer per in-flight segment.</summary>
    public int BufferKilobytes { get; set; } = 128;
    /// <summary>
    /// Native: MPEG-TS with H.264/AAC is remuxed in process while it downloads (anything else still
    /// goes to ffmpeg). Ffmpeg: always ffmpeg, e.g. to rule the native remux out when a file looks wrong.
    /// </summary>
    public RemuxerChoice Remuxer { get; set; } = RemuxerChoice.Native;
    /// <summary>The remux is killed past this (it normally takes seconds: no re-encoding).</summary>
    public int MergeTimeoutMinutes { get; set; } = 60;

    public static IEnumerable<string?> Validate(HlsEngineOptions o)
    {
        if (o.Parallelism is < 1 or > 64) yield return $"Parallelism {o.Parallelism} must be between 1 and 64";
        if (o.Attempts is < 1 or > 50) yield return $"Attempts {o.Attempts} must be between 1 and 50";
        if (o.RetryBaseDelayMs < 0) yield return $"RetryBaseDelayMs {o.RetryBaseDelayMs} must not be negative";
        if (o.RetryMaxDelayMs < o.RetryBaseDelayMs) yield return $"RetryMaxDelayMs {o.RetryMaxDelayMs} must not be below RetryBaseDelayMs {o.RetryBaseDelayMs}";
        if (o.StallTimeoutMs is < 50 or > 600_000) yield return $"StallTimeoutMs {o.StallTimeoutMs} must be between 50 and 600000";
        if (o.RequestTimeoutMs is < 100 or > 600_000) yield return $"RequestTimeoutMs {o.RequestTimeoutMs} must be between 100 and 600000";
        if (o.ProgressIntervalMs is < 0 or > 60_000) yield return $"ProgressIntervalMs {o.ProgressIntervalMs} must be between 0 and 60000";
        if (o.ReserveFreeMegabytes < 0) yield return $"ReserveFreeMegabytes {o.ReserveFreeMegabytes} must not be negative";
        if (o.BufferKilobytes is < 4 or > 4096) yield return $"BufferKilobytes {o.BufferKilobytes} must be between 4 and 4096";
        if (!Enum.IsDefined(o.Remuxer)) yield return $"Remuxer {o.Remuxer} must be Native or Ffmpeg";
        if (o.MergeTimeoutMinutes is < 1 or > 1440) yield return $"MergeTimeoutMinutes {o.MergeTimeoutMinutes} must be between 1 and 1440";
    }
}
