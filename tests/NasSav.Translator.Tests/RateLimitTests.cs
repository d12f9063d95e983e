using Microsoft.Extensions.DependencyInjection;
using NasSav.Testing;
using NasSav.Testing.FakeLlm;
using NasSav.Translator.RateLimiting;

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
            ("Translator:Engines:fake:RequestsPerMinute", "600"),
            ("Translator:Engines:fake:Burst", "2"),
            ("Translator:Engines:fake:MaxRetries", "1"), // one lease per title
            ("Translator:Engines:fake:TimeoutSeconds", "60")));
        var limiter = t.Services.GetRequiredService<TranslatorRateLimiter>();

        var titles = new[] { "A1", "B2", "C3", "D4", "E5" };
        var tasks = new List<Task<TranslationOutcome>>();
        foreach (var title in titles)
        {
            tasks.Add(t.Translator.TranslateAsync(title, false, default));
            // Each request reaches the limiter before the next starts, so the queue order is the call order.
            await Wait.UntilAsync(() => _llm.Completions.Count + (int)(limiter.Statistics?.CurrentQueuedCount ?? 0) == tasks.Count,
                TimeSpan.FromSeconds(20), $"request {title} at the limiter");
        }

        await Task.WhenAll(tasks.Take(2));
        Assert.Equal(2, _llm.Completions.Count);
        Assert.Equal(3, limiter.Statistics!.CurrentQueuedCount);
        Assert.All(tasks.Skip(2), task => Assert.False(task.IsCompleted));

        // Manual replenishment adds tokens for the time elapsed since the last call (RequestsPerMinute);
        // nothing is added between calls, so the three stay queued until the test replenishes.
        Assert.Equal(2, _llm.Completions.Count);
        await Wait.UntilAsync(() =>
        {
            limiter.Replenish();
            return tasks.All(x => x.IsCompleted);
        }, TimeSpan.FromSeconds(30), "the queued requests after replenishment");

        foreach (var task in tasks) Assert.True((await task).Succeeded);
        // The first two took the burst; the queued three were all served (one replenishment may free two at
        // once, so their arrival order at the server is not asserted).
        var served = _llm.Completions.Select(r => FakeLlmServer.TitleOf(r.Prompt!)).ToList();
        Assert.Equal(["A1", "B2"], served.Take(2));
        Assert.Equal(titles, served.Order(StringComparer.Ordinal));
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
        Assert.Equal(0, t.Services.GetRequiredService<TranslatorRateLimiter>().Statistics!.TotalFailedLeases);
    }
}
