using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NasSav.ServiceDefaults.Configuration;
using StackExchange.Redis;

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
            var r = redis.Value;
            // The key is the whole Redis key ({RedisKeyPrefix}cache:{hash}); fail fast while Redis is away, the
            // translation then goes on without the second level.
            cache.InstanceName = "";
            cache.ConfigurationOptions = new ConfigurationOptions
            {
                EndPoints = { r.Endpoint! },
                Password = string.IsNullOrEmpty(r.Password) ? null : r.Password,
                ClientName = r.ClientName,
                ConnectTimeout = (int)r.ConnectTimeout.TotalMilliseconds,
                AsyncTimeout = (int)r.CommandTimeout.TotalMilliseconds,
                SyncTimeout = (int)r.CommandTimeout.TotalMilliseconds,
                AbortOnConnectFail = false,
            };
        });
        return services;
    }
}
