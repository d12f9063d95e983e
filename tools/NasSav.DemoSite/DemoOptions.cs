namespace NasSav.DemoSite;

/// <summary>Settings under <c>Demo:</c> (command line <c>--Demo:Count=80</c>, env <c>Demo__Count=80</c>).</summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";
    public const string DefaultUrl = "http://127.0.0.1:5380";

    /// <summary>Numbered AVIDs are <c>{Prefix}-001</c> … <c>{Prefix}-{Count}</c>; the switch AVIDs use the prefix too.</summary>
    public string Prefix { get; set; } = "DEMO";
    public int Count { get; set; } = 60;

    /// <summary>Where covers, avatars and HLS streams are generated once and reused across restarts.</summary>
    public string CacheDir { get; set; } = Path.Combine(Path.GetTempPath(), "nassav-demo-site");

    /// <summary>How long the <c>…-SLOW</c> pages (and <c>?fail=slow</c>) wait before answering.</summary>
    public int SlowMs { get; set; } = 20_000;

    /// <summary>
    /// Latency added to every HLS segment (0 = none). The default makes a download last a few seconds (60 segments,
    /// 8 fetched at a time: about 6 s), so its progress is seen moving; tests that want speed set 0.
    /// </summary>
    public int SegmentDelayMs { get; set; } = 750;

    /// <summary>
    /// Length of the one encoded clip every stream reuses (2 s segments). The default is long enough for the
    /// measured duration to read as minutes (2分钟); tests use a few seconds.
    /// </summary>
    public int ClipSeconds { get; set; } = 120;

    public string Ffmpeg { get; set; } = "ffmpeg";
}
