using System.Text;
using NasSav.Contracts.Scraping;

namespace NasSav.Scraper.Http;

public enum FetchKind { Response, Timeout, NetworkError }

/// <summary>What one GET gave (after retries): an HTTP answer, a timeout or a network error. Never an exception.</summary>
public sealed record FetchResult
{
    public required FetchKind Kind { get; init; }
    public int? StatusCode { get; init; }
    public byte[] Body { get; init; } = [];
    public string? ContentType { get; init; }
    public string? Charset { get; init; }
    /// <summary>The URL that answered (after redirects).</summary>
    public Uri? FinalUri { get; init; }
    public string? Error { get; init; }
    public double ElapsedMs { get; init; }
    public int Tries { get; init; } = 1;
    /// <summary>False for errors a retry cannot fix (e.g. an oversized answer).</summary>
    public bool Retryable { get; init; } = true;

    public bool IsSuccess => Kind == FetchKind.Response && StatusCode is >= 200 and < 300;

    /// <summary>Timeouts, network errors and 5xx: the only results worth a retry. Never 403/404.</summary>
    public bool IsTransient => Retryable && (Kind is FetchKind.Timeout or FetchKind.NetworkError || StatusCode >= 500);

    public string Text
    {
        get
        {
            Encoding encoding = Encoding.UTF8;
            if (!string.IsNullOrWhiteSpace(Charset))
            {
                try { encoding = Encoding.GetEncoding(Charset.Trim('"', ' ')); }
                catch (ArgumentException) { }
            }
            return encoding.GetString(Body);
        }
    }

    /// <summary>The <see cref="SourceAttempt"/> outcome of a failed fetch (ok for a 2xx).</summary>
    public string Outcome => Kind switch
    {
        FetchKind.Timeout => SourceAttempt.Timeout,
        FetchKind.NetworkError => SourceAttempt.NetworkError,
        _ => StatusCode switch
        {
            >= 200 and < 300 => SourceAttempt.Ok,
            403 => SourceAttempt.Forbidden,
            404 or 410 => SourceAttempt.NotFound,
            _ => SourceAttempt.HttpError,
        },
    };

    public string Describe() => Kind switch
    {
        FetchKind.Timeout => $"timeout after {Tries} tries",
        FetchKind.NetworkError => $"network error: {Error}",
        _ => $"HTTP {StatusCode}",
    };
}

/// <summary>One GET as the scraper makes it.</summary>
public sealed record FetchRequest
{
    public required Uri Uri { get; init; }
    /// <summary>Names the HttpClient (one per source or metadata site).</summary>
    public required string Client { get; init; }
    public string? Referer { get; init; }
    public string? Cookie { get; init; }
    public string? Accept { get; init; }
    public IReadOnlyDictionary<string, string>? Headers { get; init; }
}
