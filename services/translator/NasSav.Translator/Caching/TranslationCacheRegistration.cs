using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NasSav.ServiceDefaults.Configuration;
using NasSav.ServiceDefaults.Redis;

namespace NasSav.Translator.Caching;

public static class TranslationCacheRegistration
{
    /// <summary>HybridCache, with Redis as its second level (an <c>IDistributedCache</c>) when Redis:Endpoint is set.</summary>
    public static IServiceCollection AddTranslationCache(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHybridCache();
        services.TryAddSingleton<TranslationCache>();
        if (string.IsNullOrWhiteSpace(configuration[$"{RedisOptions.Section}:Endpoint"])) return services;

        services.AddStackExchangeRedisCache(_ => { });
        services.AddOptions<RedisCacheOptions>().Configure<IOptions<RedisOptions>>((cache, redis) =>
        {
            // The key is the whole Redis key ({RedisKeyPrefix}cache:{hash}). The connection is configured as the
            // process's own (RedisConnections: fail fast while Redis is away, the translation then goes on without
            // the second level), but is a connection of its own: RedisCache closes the one it uses when disposed.
            cache.InstanceName = "";
            cache.ConfigurationOptions = RedisConnections.Options(redis.Value);
        });
        return services;
    }
}
