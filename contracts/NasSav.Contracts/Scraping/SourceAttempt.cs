namespace NasSav.Contracts.Scraping;

/// <summary>One try of one source or site, for health and for error messages.</summary>
public sealed record SourceAttempt
{
    public required string Source { get; init; }
    /// <summary>ok, forbidden (403), not_found (404), http_error, timeout, network_error, parse_failed, wrong_page.</summary>
    public required string Outcome { get; init; }
    public int? StatusCode { get; init; }
    public string? Detail { get; init; }
    public required DateTimeOffset At { get; init; }
    public double ElapsedMs { get; init; }

    public const string Ok = "ok";
    public const string Forbidden = "forbidden";
    public const string NotFound = "not_found";
    public const string HttpError = "http_error";
    public const string Timeout = "timeout";
    public const string NetworkError = "network_error";
    public const string ParseFailed = "parse_failed";
    public const string WrongPage = "wrong_page";
}
