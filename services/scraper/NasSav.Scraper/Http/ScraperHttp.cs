using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace NasSav.Scraper.Http;

/// <summary>
/// Every request the scraper makes goes through here: one <see cref="HttpClient"/> per source or site
/// over one shared <see cref="SocketsHttpHandler"/> (connection pool, proxy, decompression); the common
/// headers; a per-request timeout; the per-host minimum interval before every try; retries with
/// exponential backoff (Polly) on timeouts, network errors and 5xx only. Failures are results, not exceptions.
/// </summary>
public sealed class ScraperHttp : IDisposable
{
    static ScraperHttp() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private readonly ScraperOptions _options;
    private readonly HostRateLimiter _limiter;
    private readonly ILogger<ScraperHttp> _logger;
    private readonly SocketsHttpHandler _handler;
    private readonly ConcurrentDictionary<string, HttpClient> _clients = new(StringComparer.OrdinalIgnoreCase);
    private readonly ResiliencePipeline<FetchResult> _retry;

    public ScraperHttp(IOptions<ScraperOptions> options, HostRateLimiter limiter, ILogger<ScraperHttp> logger)
    {
        _options = options.Value;
        _limiter = limiter;
        _logger = logger;
        _handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 5,
            AutomaticDecompression = DecompressionMethods.All,
            UseCookies = false,
            ConnectTimeout = _options.Timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        if (!string.IsNullOrWhiteSpace(_options.Proxy))
        {
            _handler.Proxy = new WebProxy(new Uri(_options.Proxy));
            _handler.UseProxy = true;
        }
        else _handler.UseProxy = false;

        var builder = new ResiliencePipelineBuilder<FetchResult>();
        if (_options.Retries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<FetchResult>
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result?.IsTransient ?? false),
                MaxRetryAttempts = _options.Retries,
                Delay = TimeSpan.FromMilliseconds(_options.RetryDelayMs),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                OnRetry = args =>
                {
                    _logger.LogDebug("Retry {Attempt} after {Result}", args.AttemptNumber + 1, args.Outcome.Result?.Describe());
                    return ValueTask.CompletedTask;
                },
            });
        }
        _retry = builder.Build();
    }

    private HttpClient Client(string name) =>
        _clients.GetOrAdd(name, _ => new HttpClient(_handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan });

    public async Task<FetchResult> GetAsync(FetchRequest request, CancellationToken ct)
    {
        var total = Stopwatch.StartNew();
        var tries = 0;
        var result = await _retry.ExecuteAsync(async token =>
        {
            tries++;
            return await TryOnceAsync(request, token);
        }, ct);
        result = result with { Tries = tries, ElapsedMs = total.Elapsed.TotalMilliseconds };
        _logger.LogDebug("GET {Url} → {Result} ({Tries} tries, {Elapsed} ms)", request.Uri, result.Describe(), tries, (int)result.ElapsedMs);
        return result;
    }

    private async Task<FetchResult> TryOnceAsync(FetchRequest request, CancellationToken ct)
    {
        await _limiter.WaitAsync(request.Uri, TimeSpan.FromMilliseconds(_options.MinIntervalMs), ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            using var message = Build(request);
            using var response = await Client(request.Client).SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var (body, tooLarge) = await ReadAsync(response.Content, _options.MaxResponseBytes, timeout.Token);
            if (tooLarge)
                return new FetchResult { Kind = FetchKind.NetworkError, Error = $"answer larger than {_options.MaxResponseBytes} bytes", Retryable = false, FinalUri = request.Uri };
            return new FetchResult
            {
                Kind = FetchKind.Response,
                StatusCode = (int)response.StatusCode,
                Body = body,
                ContentType = response.Content.Headers.ContentType?.MediaType,
                Charset = response.Content.Headers.ContentType?.CharSet,
                FinalUri = response.RequestMessage?.RequestUri ?? request.Uri,
            };
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new FetchResult { Kind = FetchKind.Timeout, Error = $"no complete answer within {_options.TimeoutSeconds} s", FinalUri = request.Uri };
        }
        catch (Exception e) when (e is HttpRequestException or IOException or InvalidDataException)
        {
            return new FetchResult { Kind = FetchKind.NetworkError, Error = Flatten(e), FinalUri = request.Uri };
        }
    }

    private HttpRequestMessage Build(FetchRequest request)
    {
        var message = new HttpRequestMessage(HttpMethod.Get, request.Uri);
        var h = message.Headers;
        h.TryAddWithoutValidation("User-Agent", _options.UserAgent);
        h.TryAddWithoutValidation("Accept", request.Accept ?? _options.Accept);
        h.TryAddWithoutValidation("Accept-Language", _options.AcceptLanguage);
        if (!string.IsNullOrWhiteSpace(request.Referer)) h.TryAddWithoutValidation("Referer", Clean(request.Referer));
        if (!string.IsNullOrWhiteSpace(request.Cookie)) h.TryAddWithoutValidation("Cookie", Clean(request.Cookie));
        if (request.Headers is not null)
        {
            foreach (var (name, value) in request.Headers)
            {
                h.Remove(name);
                h.TryAddWithoutValidation(name, Clean(value));
            }
        }
        return message;
    }

    /// <summary>Header values never carry line breaks (a pasted cookie may).</summary>
    private static string Clean(string value) => value.Replace("\r", "").Replace("\n", " ").Trim();

    private static async Task<(byte[] Body, bool TooLarge)> ReadAsync(HttpContent content, long max, CancellationToken ct)
    {
        if (content.Headers.ContentLength > max) return ([], true);
        await using var stream = await content.ReadAsStreamAsync(ct);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > max) return ([], true);
        }
        return (buffer.ToArray(), false);
    }

    private static string Flatten(Exception e)
    {
        var parts = new List<string>();
        for (var x = e; x is not null; x = x.InnerException) parts.Add(x.Message);
        return string.Join(" → ", parts.Distinct());
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values) client.Dispose();
        _handler.Dispose();
    }
}
