using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Options;

namespace NasSav.Translator.Caching;

/// <summary>What identifies a translation: an unchanged retranslation is answered from the cache.</summary>
public readonly record struct TranslationKey(string Text, string Engine, string Model, string PromptVersion);

/// <summary>
/// The title cache on <see cref="HybridCache"/>: in process for Translator:LocalCacheHours, then in Redis (when
/// Redis:Endpoint is set) for Translator:SharedCacheDays, so every translator instance answers what any one of them
/// translated. Concurrent requests for one key share one translation. A failed translation is never cached; an
/// unreachable Redis only costs the second level (HybridCache logs it and goes on).
/// </summary>
public sealed class TranslationCache(HybridCache cache, IOptions<TranslatorOptions> options)
{
    private readonly HybridCacheEntryOptions _entry = EntryOptions(options.Value);

    /// <summary>The cached translation, or the one <paramref name="translate"/> makes (then stored in both levels).</summary>
    public ValueTask<string> GetOrTranslateAsync(TranslationKey key, Func<CancellationToken, ValueTask<string>> translate, CancellationToken ct) =>
        cache.GetOrCreateAsync(Key(options.Value.RedisKeyPrefix, key), translate, _entry, cancellationToken: ct);

    /// <summary>Replaces the entry in both levels (a forced retranslation).</summary>
    public ValueTask SetAsync(TranslationKey key, string translation, CancellationToken ct) =>
        cache.SetAsync(Key(options.Value.RedisKeyPrefix, key), translation, _entry, cancellationToken: ct);

    /// <summary>Hashed so any title makes a short, safe key; each part is length-prefixed so no two tuples collide by concatenation.</summary>
    public static string Key(string prefix, TranslationKey key)
    {
        var text = string.Join("", new[] { key.Text, key.Engine, key.Model, key.PromptVersion }.Select(p => $"{p.Length}:{p}"));
        return prefix + "cache:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static HybridCacheEntryOptions EntryOptions(TranslatorOptions o)
    {
        var local = TimeSpan.FromHours(o.LocalCacheHours);
        return o.SharedCacheDays > 0
            ? new HybridCacheEntryOptions { Expiration = TimeSpan.FromDays(o.SharedCacheDays), LocalCacheExpiration = local }
            : new HybridCacheEntryOptions { Expiration = local, LocalCacheExpiration = local, Flags = HybridCacheEntryFlags.DisableDistributedCache };
    }
}
