using MassTransit;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using NasSav.Translator.Caching;
using NasSav.Translator.Dictionary;
using NasSav.Translator.Engines;
using NasSav.Translator.Health;
using NasSav.Translator.RateLimiting;
using NasSav.Translator.Subtitles;
using NasSav.ServiceDefaults.Bus;
using NasSav.ServiceDefaults.Configuration;
using NasSav.Coordination;
using NasSav.ServiceDefaults.Telemetry;

namespace NasSav.Translator;

/// <summary>
/// The translator service as a module: the TranslateTitle consumer over the active LLM engine (checked at
/// start), with a readiness check that is Degraded while the LLM is down. Translator:Enabled=false
/// registers no consumer. Stateless apart from its cache: run as many instances as wanted (with Redis they share the rate limit and the cache).
/// </summary>
public static class TranslatorModule
{
    public static IServiceCollection AddTranslator(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<TranslatorOptions>(configuration, TranslatorOptions.Section, TranslatorOptions.Validate)
            .PostConfigure(o => FoldNassavEngine(o, configuration));
        services.AddSrtTranslation(configuration);
        var enabled = configuration.GetValue($"{TranslatorOptions.Section}:Enabled", false);
        if (!enabled) return services;

        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(TranslationEngine.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan);
        // Redis when configured (the limit and the cache are then shared by every instance), else in process.
        services.AddNasSavExpiringStore(configuration);
        services.TryAddSingleton<TranslatorRateLimiter>();
        if (!string.IsNullOrWhiteSpace(configuration[$"{RedisOptions.Section}:Endpoint"]))
        {
            services.TryAddSingleton<RedisTranslatorRateLimiter>();
            services.TryAddSingleton<ITranslationRateLimiter>(sp => sp.GetRequiredService<RedisTranslatorRateLimiter>());
        }
        else
        {
            services.TryAddSingleton<ITranslationRateLimiter>(sp => sp.GetRequiredService<TranslatorRateLimiter>());
        }
        services.TryAddSingleton<TranslationEngine>();
        services.TryAddSingleton(sp => TermDictionary.Load(sp.GetRequiredService<IOptions<TranslatorOptions>>().Value.DictionaryFile));
        services.AddTranslationCache(configuration);
        services.TryAddSingleton<TitleTranslator>();
        services.AddNasSavInstruments<TranslatorMetrics>();
        services.AddHealthChecks().AddCheck<LlmHealthCheck>("translator-llm", HealthStatus.Degraded, ["ready"]);

        services.AddBusContribution(x => x.AddConsumer<TranslateTitleConsumer, TranslateTitleConsumerDefinition>());
        return services;
    }

    public static IEndpointRouteBuilder MapTranslator(this IEndpointRouteBuilder endpoints) => endpoints.MapSrtTranslation();

    /// <summary>
    /// NASSAV's form: <c>Translator: {active: qwen2.5:7b, qwen2.5:7b: {type, url, model, timeout, max_retries, prompt_template}}</c>.
    /// The block name may hold ':' (a configuration path separator), so it is read with GetSection(active).
    /// </summary>
    internal static void FoldNassavEngine(TranslatorOptions o, IConfiguration configuration)
    {
        if (string.IsNullOrWhiteSpace(o.Active) || o.Engines.ContainsKey(o.Active)) return;
        var block = configuration.GetSection($"{TranslatorOptions.Section}:{o.Active}");
        if (!block.GetChildren().Any()) return;
        var engine = new EngineOptions();
        block.Bind(engine);
        if (block["type"] is { } type) engine.Type = type.Trim().ToLowerInvariant();
        if (double.TryParse(block["timeout"], System.Globalization.CultureInfo.InvariantCulture, out var timeout)) engine.TimeoutSeconds = timeout;
        if (int.TryParse(block["max_retries"], out var retries)) engine.MaxRetries = retries;
        if (block["prompt_template"] is { } template) engine.PromptTemplate = template;
        if (block["api_key"] is { } key) engine.ApiKey = key;
        if (string.IsNullOrWhiteSpace(engine.Model)) engine.Model = o.Active;
        o.Engines[o.Active] = engine;
    }
}
