namespace NasSav.Scraper.Http;

/// <summary>
/// Keeps a minimum interval between two requests to the same host (host:port) in this process. Each
/// caller reserves the next free slot under a lock and then waits asynchronously for it, so callers
/// are spaced out in arrival order without blocking a thread.
/// </summary>
public sealed class HostRateLimiter(TimeProvider time)
{
    private readonly Dictionary<string, long> _next = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();

    public HostRateLimiter() : this(TimeProvider.System) { }

    public async Task WaitAsync(Uri uri, TimeSpan interval, CancellationToken ct)
    {
        if (interval <= TimeSpan.Zero) return;
        var host = uri.Authority;
        TimeSpan delay;
        lock (_lock)
        {
            var now = time.GetTimestamp();
            var slot = _next.TryGetValue(host, out var next) && next > now ? next : now;
            _next[host] = slot + (long)(interval.TotalSeconds * time.TimestampFrequency);
            delay = TimeSpan.FromSeconds((double)(slot - now) / time.TimestampFrequency);
        }
        if (delay > TimeSpan.Zero) await Task.Delay(delay, time, ct);
    }
}
