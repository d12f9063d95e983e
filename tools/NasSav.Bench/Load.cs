using System.Diagnostics;

namespace NasSav.Bench;

public sealed record LoadResult(double PerSecond, double P50, double P95, double P99);

/// <summary>A bounded closed-loop load: N requests by C workers; every answer must be 200.</summary>
public static class Load
{
    public static async Task<LoadResult> RunAsync(HttpClient http, string url, int requests, int concurrency)
    {
        for (var i = 0; i < 100; i++) await GetAsync(http, url);
        var latencies = new double[requests];
        var next = -1;
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) < requests)
            {
                var sw = Stopwatch.StartNew();
                await GetAsync(http, url);
                latencies[n] = sw.Elapsed.TotalMilliseconds;
            }
        }));
        var seconds = total.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        double P(double q) => latencies[Math.Min(latencies.Length - 1, (int)(q * latencies.Length))];
        return new LoadResult(requests / seconds, P(0.50), P(0.95), P(0.99));
    }

    private static async Task GetAsync(HttpClient http, string url)
    {
        using var response = await http.GetAsync(url);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{url} answered {(int)response.StatusCode}");
        await response.Content.CopyToAsync(Stream.Null);
    }

    /// <summary>Reads a large body, sampling this process's working set (both hosts live here).</summary>
    public static async Task<(double Seconds, long PeakWorkingSet)> StreamAsync(HttpClient http, string url)
    {
        var peak = 0L;
        using var cts = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!cts.IsCancellationRequested)
            {
                peak = Math.Max(peak, Process.GetCurrentProcess().WorkingSet64);
                try { await Task.Delay(50, cts.Token); } catch (OperationCanceledException) { }
            }
        });
        var sw = Stopwatch.StartNew();
        using (var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead))
        {
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[81920];
            while (await body.ReadAsync(buffer) > 0) { }
        }
        var seconds = sw.Elapsed.TotalSeconds;
        cts.Cancel();
        await sampler;
        return (seconds, peak);
    }
}
