using Microsoft.Extensions.DependencyInjection;
using NasSav.Testing;
using NasSav.Testing.FakeLlm;
using NasSav.Translator.RateLimiting;

namespace NasSav.Translator.Tests.Shared;

/// <summary>The engine's rate limit shared on one real Redis by two translator instances.</summary>
public sealed class SharedRateLimitTests : SharedRedisTest
{
    private static RedisTranslatorRateLimiter Limiter(Translating t) =>
        Assert.IsType<RedisTranslatorRateLimiter>(t.Services.GetRequiredService<ITranslationRateLimiter>());

    [Fact]
    public async Task Two_instances_reserve_slots_on_one_shared_schedule_and_both_are_served()
    {
        (string, string?)[] limit = [("Translator:Engines:fake:RequestsPerMinute", "120"), ("Translator:Engines:fake:Burst", "2")];
        using var a = Redis.Instance(Llm, limit);
        using var b = Redis.Instance(Llm, limit);
        var limiters = new[] { Limiter(a), Limiter(b) };
        Assert.Equal(Redis.Prefix + "rate:fake", limiters[0].Key);
        const double interval = 500;

        // Six requests from each instance at once. The schedule (GCRA's theoretical arrival time, on the Redis
        // clock) is what makes the limit hold, whatever the callers' scheduling: twelve reservations on one
        // schedule put it twelve intervals after the first of them. Two schedules, or a slot given twice, would not.
        var before = await RedisMillisecondsAsync();
        var turns = Enumerable.Range(0, 12).Select(i => limiters[i % 2].WaitTurnAsync(CancellationToken.None).AsTask()).ToList();
        await Wait.UntilAsync(() => limiters.Sum(l => l.Reserved) == 12, TimeSpan.FromSeconds(20), "all twelve reservations");
        var tat = double.Parse((string?)await Redis.Db.StringGetAsync(limiters[0].Key) ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        var after = await RedisMillisecondsAsync();
        var first = tat - 12 * interval;
        Assert.InRange(first, before - 1, after + 1);

        await Task.WhenAll(turns);
        Assert.All(limiters, l => Assert.Equal(6, l.Reserved));
        Assert.All(limiters, l => Assert.Equal(0, l.Fallbacks));
    }

    [Fact]
    public async Task Every_translation_from_two_instances_takes_its_turn_on_the_shared_schedule()
    {
        (string, string?)[] limit = [("Translator:Engines:fake:RequestsPerMinute", "240"), ("Translator:Engines:fake:Burst", "1")];
        using var a = Redis.Instance(Llm, limit);
        using var b = Redis.Instance(Llm, limit);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            (i % 2 == 0 ? a : b).Translator.TranslateAsync($"タイトル{i}", false, CancellationToken.None)));

        Assert.All(outcomes, o => Assert.True(o.Succeeded, o.FailureReason));
        Assert.Equal(10, Llm.Completions.Count);
        Assert.Equal(10, Limiter(a).Reserved + Limiter(b).Reserved);
        Assert.Equal(0, Limiter(a).Fallbacks + Limiter(b).Fallbacks);
    }

    private async Task<double> RedisMillisecondsAsync()
    {
        var time = (StackExchange.Redis.RedisResult[])(await Redis.Db.ExecuteAsync("TIME"))!;
        return (long)time[0] * 1000 + (long)time[1] / 1000.0;
    }

    [Fact]
    public async Task Without_automatic_replenishment_the_shared_bucket_refills_only_when_replenished()
    {
        (string, string?)[] limit =
        [
            ("Translator:RateLimitAutoReplenish", "false"),
            ("Translator:Engines:fake:RequestsPerMinute", "600"),
            ("Translator:Engines:fake:Burst", "2"),
        ];
        using var a = Redis.Instance(Llm, limit);
        using var b = Redis.Instance(Llm, limit);
        var (la, lb) = (Limiter(a), Limiter(b));

        await la.WaitTurnAsync(CancellationToken.None);
        await lb.WaitTurnAsync(CancellationToken.None); // the burst of two is spent, across instances
        var waiting = new[] { la.WaitTurnAsync(CancellationToken.None).AsTask(), lb.WaitTurnAsync(CancellationToken.None).AsTask() };
        await Wait.UntilAsync(() => la.Reserved == 2 && lb.Reserved == 2, TimeSpan.FromSeconds(10), "both waiters to hold a reservation");
        // The shared clock stands still, so the waiters (polling it) cannot have been let through.
        await Task.WhenAny(Task.WhenAll(waiting), Task.Delay(TimeSpan.FromMilliseconds(300)));
        Assert.All(waiting, w => Assert.False(w.IsCompleted));

        await Wait.UntilAsync(async () =>
        {
            await la.ReplenishAsync();
            return waiting.All(w => w.IsCompleted);
        }, TimeSpan.FromSeconds(20), "the waiters after replenishment");
        await Task.WhenAll(waiting);
    }

    [Fact]
    public async Task A_waiter_can_be_cancelled()
    {
        using var a = Redis.Instance(Llm, ("Translator:Engines:fake:RequestsPerMinute", "1"), ("Translator:Engines:fake:Burst", "1"));
        var limiter = Limiter(a);
        await limiter.WaitTurnAsync(CancellationToken.None);
        using var cts = new CancellationTokenSource();
        var waiting = limiter.WaitTurnAsync(cts.Token).AsTask();
        await Wait.UntilAsync(() => limiter.Reserved == 2, TimeSpan.FromSeconds(10), "the second reservation");
        Assert.False(waiting.IsCompleted); // a minute to wait
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }

    [Fact]
    public async Task With_redis_unreachable_the_instance_limits_itself_and_translates()
    {
        var closed = FreePort();
        using var t = new Translating(Translating.Config(Llm, "ollama", ("Redis:Endpoint", $"127.0.0.1:{closed}")));
        var outcome = await t.Translator.TranslateAsync("美少女", false, CancellationToken.None);
        Assert.True(outcome.Succeeded, outcome.FailureReason);
        Assert.True(Limiter(t).Fallbacks >= 1);
        Assert.Single(Llm.Completions);
    }

    [Fact]
    public void Without_redis_the_limiter_is_the_in_process_bucket()
    {
        using var t = new Translating(Translating.Config(Llm));
        Assert.IsType<TranslatorRateLimiter>(t.Services.GetRequiredService<ITranslationRateLimiter>());
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
