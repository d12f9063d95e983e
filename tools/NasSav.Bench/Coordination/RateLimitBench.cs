using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NasSav.Translator;
using NasSav.Translator.RateLimiting;

namespace NasSav.Bench.Coordination;

/// <summary>
/// The translator's rate limit as callers see it: N requests at once from K instances (each its own service
/// provider, so its own Redis connection) through <see cref="ITranslationRateLimiter"/>, and the times their
/// turns came. Reported: the gaps between consecutive grants against the configured interval, and the
/// tightest window (grants i..j arrived this much earlier than burst + rate allows; positive = over the limit
/// as observed, which scheduling delay between a grant and its timestamp can cause).
/// </summary>
public static class RateLimitBench
{
    public static async Task RunAsync(string[] args)
    {
        var perMinute = BenchArgs.Double(args, "--per-minute", 600);
        var burst = BenchArgs.Int(args, "--burst", 2);
        var requests = BenchArgs.Int(args, "--requests", 60);
        var instances = BenchArgs.Int(args, "--instances", 2);
        var redis = BenchArgs.String(args, "--redis") ?? Environment.GetEnvironmentVariable("NASSAV_TEST_REDIS");
        var interval = 60_000 / perMinute;
        Console.WriteLine($"# Rate-limit arrival spacing ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, " +
                          $"load {BenchArgs.LoadAverage()}, {perMinute}/min = {interval:0.#} ms interval, burst {burst}, {requests} requests at once)");
        Console.WriteLine();
        Console.WriteLine("| limiter | instances | gap p1 ms | gap p50 ms | gap p99 ms | tightest window vs bound ms | total s |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        await RowAsync("in process (token bucket)", null, 1, perMinute, burst, requests);
        if (redis is null) Console.WriteLine("| Redis | (no --redis and no NASSAV_TEST_REDIS) | | | | | |");
        else await RowAsync($"Redis GCRA ({redis})", redis, instances, perMinute, burst, requests);
    }

    private static async Task RowAsync(string label, string? redis, int instances, double perMinute, int burst, int requests)
    {
        var prefix = $"bench:{Guid.NewGuid():N}:translator:";
        var providers = Enumerable.Range(0, instances).Select(_ => Build(redis, prefix, perMinute, burst)).ToList();
        try
        {
            var limiters = providers.Select(p => p.GetRequiredService<ITranslationRateLimiter>()).ToList();
            // One turn each first: connections made, scripts loaded; then wait the bucket full again.
            foreach (var l in limiters) await l.WaitTurnAsync(CancellationToken.None);
            await Task.Delay(TimeSpan.FromMinutes(burst * 1.5 / perMinute));

            var grants = new ConcurrentBag<long>();
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, requests).Select(i => Task.Run(async () =>
            {
                await limiters[i % limiters.Count].WaitTurnAsync(CancellationToken.None);
                grants.Add(Stopwatch.GetTimestamp());
            })));
            var total = clock.Elapsed.TotalSeconds;
            var times = grants.Order().Select(t => Stopwatch.GetElapsedTime(grants.Min(), t).TotalMilliseconds).ToList();
            var gaps = times.Zip(times.Skip(1), (a, b) => b - a).Skip(burst - 1).Order().ToList();
            double P(double q) => gaps[Math.Min(gaps.Count - 1, (int)(q * gaps.Count))];
            var interval = 60_000 / perMinute;
            var worst = double.MinValue;
            for (var i = 0; i < times.Count; i++)
                for (var j = i + burst; j < times.Count; j++)
                    worst = Math.Max(worst, interval * (j - i + 1 - burst) - (times[j] - times[i]));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {label} | {instances} | {P(0.01):0.0} | {P(0.5):0.0} | {P(0.99):0.0} | {worst:+0.0;-0.0} | {total:0.00} |"));
        }
        finally
        {
            foreach (var p in providers) await p.DisposeAsync();
        }
    }

    private static ServiceProvider Build(string? redis, string prefix, double perMinute, int burst)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Translator:Enabled"] = "true",
            ["Translator:Active"] = "bench",
            ["Translator:Engines:bench:Type"] = "ollama",
            ["Translator:Engines:bench:Url"] = "http://127.0.0.1:9",
            ["Translator:Engines:bench:Model"] = "bench",
            ["Translator:Engines:bench:RequestsPerMinute"] = perMinute.ToString(CultureInfo.InvariantCulture),
            ["Translator:Engines:bench:Burst"] = burst.ToString(CultureInfo.InvariantCulture),
            ["Translator:RedisKeyPrefix"] = prefix,
            ["Redis:Endpoint"] = redis,
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddTranslator(config);
        return services.BuildServiceProvider();
    }
}
