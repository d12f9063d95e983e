using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NasSav.ServiceDefaults.Shared;

namespace NasSav.Translator.Caching;

/// <summary>
/// The in-process LRU first, then the shared <see cref="IExpiringStore"/> (Redis when configured, so every
/// translator instance answers what any one of them translated) under <c>{RedisKeyPrefix}cache:{sha256 of
/// the key}</c> for Translator:SharedCacheDays. A shared store that fails is skipped (logged): a cache
/// must never fail a translation.
/// </summary>
public sealed class TwoLevelTranslationCache(TranslationCache local, IExpiringStore shared, IOptions<TranslatorOptions> options,
    ILogger<TwoLevelTranslationCache> logger)
{
    private TimeSpan Ttl => TimeSpan.FromDays(options.Value.SharedCacheDays);
    private bool SharedEnabled => options.Value.SharedCacheDays > 0;

    public TranslationCache Local => local;

    public async Task<string?> GetAsync(TranslationKey key, CancellationToken ct)
    {
        if (local.TryGet(key, out var value)) return value;
        if (!SharedEnabled) return null;
        try
        {
            var found = await shared.GetAsync(SharedKey(options.Value.RedisKeyPrefix, key), ct);
            if (found is not null) local.Set(key, found);
            return found;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning("Shared translation cache unavailable (read): {Error}", ex.Message);
            return null;
        }
    }

    public async Task SetAsync(TranslationKey key, string value, CancellationToken ct)
    {
        local.Set(key, value);
        if (!SharedEnabled) return;
        try
        {
            await shared.SetAsync(SharedKey(options.Value.RedisKeyPrefix, key), value, Ttl, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning("Shared translation cache unavailable (write): {Error}", ex.Message);
        }
    }

    /// <summary>Hashed so any title makes a short, safe key; each part is length-prefixed so no two tuples collide by concatenation.</summary>
    public static string SharedKey(string prefix, TranslationKey key)
    {
        var text = string.Join("", new[] { key.Text, key.Engine, key.Model, key.PromptVersion }.Select(p => $"{p.Length}:{p}"));
        return prefix + "cache:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
