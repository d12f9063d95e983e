namespace NasSav.Downloader.Engine.Fetching;

/// <summary>Attempts with exponential backoff; the last error is named when every attempt failed.</summary>
public sealed class Retry(HlsEngineOptions options)
{
    public TimeSpan DelayBefore(int attempt)
    {
        // attempt 2 waits the base delay, attempt 3 twice that, ... capped.
        var ms = options.RetryBaseDelayMs * Math.Pow(2, Math.Max(0, attempt - 2));
        return TimeSpan.FromMilliseconds(Math.Min(ms, options.RetryMaxDelayMs));
    }

    /// <param name="what">Names the thing in the final error, e.g. "segment 12 (https://...)".</param>
    public async Task<T> RunAsync<T>(string what, Func<int, CancellationToken, Task<T>> attempt, CancellationToken ct)
    {
        Exception? last = null;
        for (var n = 1; n <= options.Attempts; n++)
        {
            if (n > 1) await Task.Delay(DelayBefore(n), ct).ConfigureAwait(false);
            try
            {
                return await attempt(n, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                last = ex;
            }
        }
        throw new HlsDownloadException($"{what} failed after {options.Attempts} attempt(s): {Describe(last!)}", last,
            (last as HlsDownloadException)?.Kind ?? HlsFailure.Network);
    }

    private static string Describe(Exception ex) => ex switch
    {
        HttpRequestException { StatusCode: { } status } => $"HTTP {(int)status} {status}",
        OperationCanceledException => "timed out",
        _ => ex.Message,
    };
}
