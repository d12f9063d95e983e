namespace NasSav.Scraper;

/// <summary>Scraper-wide settings (<c>Scraper:</c>), see docs/scraper-config.md.</summary>
public sealed class ScraperOptions
{
    public const string Section = "Scraper";

    public const string DefaultUserAgent =
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/143.0.0.0 Safari/537.36 Edg/143.0.0.0";
    public const string DefaultAccept =
        "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7";

    /// <summary>The peer's technical tags (reference §4.5).</summary>
    public static readonly IReadOnlyList<string> DefaultDroppedGenres =
        ["フルハイビジョン(FHD)", "MGSだけのおまけ映像付き", "高畫質", "單體作品", "DMM獨家", "4K", "薄馬賽克", "數位馬賽克", "企畫", "纪录片", "高"];

    /// <summary>A full URL matches exactly; a bare file name matches the URL's last path segment.</summary>
    public static readonly IReadOnlyList<string> DefaultPlaceholderAvatarUrls =
        ["https://pics.dmm.co.jp/mono/actjpgs/nowprinting.gif", "nowprinting.gif"];

    public string? Proxy { get; set; }
    public double TimeoutSeconds { get; set; } = 15;
    public int Retries { get; set; } = 2;
    /// <summary>First backoff delay; doubles on each retry.</summary>
    public int RetryDelayMs { get; set; } = 500;
    public int MinIntervalMs { get; set; } = 500;
    public string UserAgent { get; set; } = DefaultUserAgent;
    public string Accept { get; set; } = DefaultAccept;
    public string AcceptLanguage { get; set; } = "zh-CN,zh;q=0.9,en;q=0.8";
    public bool KeepPages { get; set; } = true;
    /// <summary>Null until configured: a bound list would otherwise be appended to the defaults.</summary>
    public List<string>? DroppedGenres { get; set; }
    public List<string>? PlaceholderAvatarUrls { get; set; }
    /// <summary>How many commands one scraper instance handles at once (per consumer).</summary>
    public int ConcurrentMessageLimit { get; set; } = 4;
    /// <summary>Largest page, playlist or image read (bytes).</summary>
    public long MaxResponseBytes { get; set; } = 20 * 1024 * 1024;

    public IReadOnlyList<string> EffectiveDroppedGenres => DroppedGenres ?? DefaultDroppedGenres;
    public IReadOnlyList<string> EffectivePlaceholderAvatarUrls => PlaceholderAvatarUrls ?? DefaultPlaceholderAvatarUrls;

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    internal static IEnumerable<string?> Validate(ScraperOptions o)
    {
        if (!string.IsNullOrWhiteSpace(o.Proxy) &&
            (!Uri.TryCreate(o.Proxy, UriKind.Absolute, out var proxy) || proxy.Scheme is not ("http" or "https" or "socks5" or "socks4" or "socks4a")))
            yield return $"Proxy '{o.Proxy}' must be an absolute http(s):// or socks5:// URL";
        if (!(o.TimeoutSeconds > 0) || o.TimeoutSeconds > 600) yield return $"TimeoutSeconds '{o.TimeoutSeconds}' must be > 0 and <= 600";
        if (o.Retries is < 0 or > 10) yield return $"Retries '{o.Retries}' must be between 0 and 10";
        if (o.RetryDelayMs is < 0 or > 60_000) yield return $"RetryDelayMs '{o.RetryDelayMs}' must be between 0 and 60000";
        if (o.MinIntervalMs is < 0 or > 600_000) yield return $"MinIntervalMs '{o.MinIntervalMs}' must be between 0 and 600000";
        if (string.IsNullOrWhiteSpace(o.UserAgent)) yield return "UserAgent must not be empty";
        if (o.ConcurrentMessageLimit is < 1 or > 256) yield return $"ConcurrentMessageLimit '{o.ConcurrentMessageLimit}' must be between 1 and 256";
        if (o.MaxResponseBytes < 1024) yield return $"MaxResponseBytes '{o.MaxResponseBytes}' must be at least 1024";
    }
}
