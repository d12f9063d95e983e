using Microsoft.Extensions.DependencyInjection;
using NasSav.ServiceDefaults.Redis;
using NasSav.Coordination.Redis;
using NasSav.Coordination;
using NasSav.Testing;
using NasSav.Testing.FakeLlm;
using NasSav.Translator.Caching;

namespace NasSav.Translator.Tests.Shared;

/// <summary>The second cache level in Redis: what one instance translated, another answers without the LLM.</summary>
public sealed class SharedCacheTests : SharedRedisTest
{
    [Fact]
    public async Task Instance_b_answers_from_the_shared_cache_what_instance_a_translated()
    {
        using var a = Redis.Instance(Llm);
        using var b = Redis.Instance(Llm);
        Assert.IsType<RedisExpiringStore>(b.Services.GetRequiredService<IExpiringStore>());

        var first = await a.Translator.TranslateAsync("義母と息子", false, CancellationToken.None);
        Assert.True(first.Succeeded, first.FailureReason);
        Assert.False(first.FromCache);
        // HybridCache writes the second level after answering the caller: wait for the entry, under the hash of
        // (text, engine, model, prompt version), with the configured lifetime.
        var key = TranslationCache.Key(Redis.Prefix, new TranslationKey("義母と息子", "fake", "qwen2.5:7b", "1"));
        var ttl = await StoredAsync(key);
        Assert.InRange(ttl, TimeSpan.FromDays(29), TimeSpan.FromDays(30));

        var second = await b.Translator.TranslateAsync("義母と息子", false, CancellationToken.None);
        Assert.True(second.FromCache);
        Assert.Equal(first.Translation, second.Translation);
        Assert.Single(Llm.Completions);

        // B now holds it in its own level too: the LLM and Redis are no longer needed for it.
        await Redis.Db.KeyDeleteAsync(key);
        Assert.True((await b.Translator.TranslateAsync("義母と息子", false, CancellationToken.None)).FromCache);
        Assert.Single(Llm.Completions);
    }

    [Fact]
    public async Task Force_bypasses_both_levels_and_refreshes_them()
    {
        using var a = Redis.Instance(Llm);
        using var b = Redis.Instance(Llm);
        Assert.True((await a.Translator.TranslateAsync("美少女", false, CancellationToken.None)).Succeeded);
        await StoredAsync(TranslationCache.Key(Redis.Prefix, new TranslationKey("美少女", "fake", "qwen2.5:7b", "1")));
        Assert.True((await b.Translator.TranslateAsync("美少女", false, CancellationToken.None)).FromCache);

        Llm.Translate = title => "新:" + title;
        var forced = await b.Translator.TranslateAsync("美少女", true, CancellationToken.None);
        Assert.False(forced.FromCache);
        Assert.Equal("新:美少女", forced.Translation);
        Assert.Equal(2, Llm.Completions.Count);
        // The forced result replaced the shared entry: a third instance sees it.
        using var c = Redis.Instance(Llm);
        Assert.Equal("新:美少女", (await c.Translator.TranslateAsync("美少女", false, CancellationToken.None)).Translation);
        Assert.Equal(2, Llm.Completions.Count);
    }

    [Fact]
    public async Task A_changed_prompt_version_or_model_misses()
    {
        using var a = Redis.Instance(Llm);
        using var b = Redis.Instance(Llm, ("Translator:PromptVersion", "2"));
        using var c = Redis.Instance(Llm, ("Translator:Engines:fake:Model", "qwen3:8b"));
        Llm.Models.Add("qwen3:8b");
        foreach (var t in new[] { a, b, c })
            Assert.False((await t.Translator.TranslateAsync("人妻", false, CancellationToken.None)).FromCache);
        Assert.Equal(3, Llm.Completions.Count);
    }

    [Fact]
    public async Task SharedCacheDays_zero_keeps_translations_in_process()
    {
        using var a = Redis.Instance(Llm, ("Translator:SharedCacheDays", "0"));
        using var b = Redis.Instance(Llm, ("Translator:SharedCacheDays", "0"));
        await a.Translator.TranslateAsync("人妻", false, CancellationToken.None);
        Assert.True((await a.Translator.TranslateAsync("人妻", false, CancellationToken.None)).FromCache);
        Assert.False((await b.Translator.TranslateAsync("人妻", false, CancellationToken.None)).FromCache);
        Assert.Equal(2, Llm.Completions.Count);
    }

    [Fact]
    public void The_shared_store_comes_without_a_database_or_lease_lock()
    {
        using var t = Redis.Instance(Llm);
        Assert.IsType<RedisExpiringStore>(t.Services.GetRequiredService<IExpiringStore>());
        Assert.Null(t.Services.GetService<NasSav.Coordination.Locking.Fencing.FencingDbContext>());
        Assert.Null(t.Services.GetService<NasSav.Coordination.Locking.ILeaseLock>());
    }

    /// <summary>The entry's remaining lifetime, once the background write of the second level has landed.</summary>
    private async Task<TimeSpan> StoredAsync(string key)
    {
        TimeSpan? ttl = null;
        await Wait.UntilAsync(async () => (ttl = await Redis.Db.KeyTimeToLiveAsync(key)) > TimeSpan.Zero,
            TimeSpan.FromSeconds(10), $"the shared cache entry {key}");
        return ttl!.Value;
    }

    [Fact]
    public void Distinct_tuples_never_share_a_key()
    {
        var one = TranslationCache.Key("p:", new TranslationKey("ab", "c", "m", "1"));
        var two = TranslationCache.Key("p:", new TranslationKey("a", "bc", "m", "1"));
        Assert.NotEqual(one, two);
        Assert.StartsWith("p:cache:", one);
        Assert.Equal(one, TranslationCache.Key("p:", new TranslationKey("ab", "c", "m", "1")));
    }
}
