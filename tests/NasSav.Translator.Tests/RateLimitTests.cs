using NasSav.Testing;
using NasSav.Testing.FakeLlm;

namespace NasSav.Translator.Tests;

/// <summary>
/// Requests over the per-instance limit wait in the token bucket's queue and are served oldest first; none fails.
/// Replenishment is manual here (Translator:RateLimitAutoReplenish=false), so the test controls time.
/// </summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private FakeLlmServer _llm = null!;

    public async Task InitializeAsync() => _llm = await FakeLlmServer.StartAsync();
    public async Task DisposeAsync() => await _llm.DisposeAsync();

    [Fact]
    public async Task Requests_over_the_limit_are_queued_in_order_not_failed()
    {
        using var t = new Translating(Translating.Config(_llm, "ollama",
            ("Translator:RateLimitAutoReplenish", "false"),
            ("Translator:Engines:fake:RequestsPerMinute", "60"),
            ("Translator:Engines:fake:Burst", "2"),
            ("Translator:Engines:fake:MaxRetries", "1"), // one lease per title
            ("Translator:Engines:fake:TimeoutSeconds", "60")));
        var limiter = t.Engine.Limiter;

        var titles = new[] { "A1", "B2", "C3", "D4", "E5" };
        var tasks = new List<Task<TranslationOutcome>>();
        foreach (var title in titles)
        {
            tasks.Add(t.Translator.TranslateAsync(title, false, default));
            // Each request reaches the limiter before the next starts, so the queue order is the call order.
            await Wait.UntilAsync(() => _llm.Completions.Count + (int)(limiter.Statistics?.CurrentQueuedCount ?? 0) == tasks.Count,
                TimeSpan.FromSeconds(20), $"request {title} at the limiter; completions {_llm.Completions.Count}, queued {limiter.Statistics?.CurrentQueuedCount}, available {limiter.Statistics?.CurrentAvailablePermits}, tasks {string.Join(",", tasks.Select(x => x.Status))}");
        }

        await Task.WhenAll(tasks.Take(2));
        Assert.Equal(2, _llm.Completions.Count);
        Assert.Equal(3, limiter.Statistics!.CurrentQueuedCount);
        Assert.All(tasks.Skip(2), task => Assert.False(task.IsCompleted));

        for (var served = 3; served <= 5; served++)
        {
            Assert.True(limiter.Replenish());
            await tasks[served - 1];
            Assert.Equal(served, _llm.Completions.Count);
            Assert.Equal(5 - served, limiter.Statistics!.CurrentQueuedCount);
        }

        Assert.All(tasks, task => Assert.True(task.Result.Succeeded));
        Assert.Equal(titles, _llm.Completions.Select(r => FakeLlmServer.TitleOf(r.Prompt!)));
        Assert.Equal(0, limiter.Statistics!.TotalFailedLeases);
    }

    [Fact]
    public async Task With_automatic_replenishment_a_burst_over_the_limit_still_completes()
    {
        using var t = new Translating(Translating.Config(_llm, "openai",
            ("Translator:Engines:fake:RequestsPerMinute", "3000"),
            ("Translator:Engines:fake:Burst", "1")));
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => t.Translator.TranslateAsync($"T{i}", false, default)));
        Assert.All(outcomes, o => Assert.True(o.Succeeded, o.FailureReason));
        Assert.Equal(6, _llm.Completions.Count);
        Assert.Equal(0, t.Engine.Limiter.Statistics!.TotalFailedLeases);
    }
}
