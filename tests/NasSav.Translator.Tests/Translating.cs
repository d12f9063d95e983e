using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NasSav.ServiceDefaults.Bus;
using NasSav.Testing.FakeLlm;
using NasSav.Translator.Engines;

namespace NasSav.Translator.Tests;

/// <summary>The translator module in a container of its own, pointed at a fake LLM server.</summary>
public sealed class Translating : IDisposable
{
    public ServiceProvider Services { get; }

    /// <param name="clock">The module's clock (e.g. a FakeTimeProvider the test advances); the system clock when null.</param>
    public Translating(IDictionary<string, string?> config, bool harness = false, TimeProvider? clock = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(config).Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<IConfiguration>(configuration);
        if (clock is not null) services.AddSingleton(clock);
        services.AddTranslator(configuration);
        if (harness)
        {
            var contributions = services.Where(d => d.ServiceType == typeof(BusContribution)).Select(d => (BusContribution)d.ImplementationInstance!).ToList();
            services.AddMassTransitTestHarness(x =>
            {
                foreach (var contribution in contributions) contribution.Configure(x);
            });
        }
        Services = services.BuildServiceProvider();
    }

    /// <summary>Fast defaults against the fake: engine "fake" of the given type; a test overrides what it checks.</summary>
    public static Dictionary<string, string?> Config(FakeLlmServer llm, string type = "ollama", params (string Key, string? Value)[] values)
    {
        var config = new Dictionary<string, string?>
        {
            ["Translator:Enabled"] = "true",
            ["Translator:Active"] = "fake",
            ["Translator:AvailabilityCacheSeconds"] = "0",
            // The probe before each translation must not fail on a loaded machine: a test of unavailability makes the LLM down.
            ["Translator:AvailabilityTimeoutSeconds"] = "60",
            ["Translator:Engines:fake:Type"] = type,
            ["Translator:Engines:fake:Url"] = type == "openai" ? llm.Url + "/v1" : llm.Url,
            ["Translator:Engines:fake:Model"] = "qwen2.5:7b",
            ["Translator:Engines:fake:TimeoutSeconds"] = "60",
            ["Translator:Engines:fake:MaxRetries"] = "3",
            ["Translator:Engines:fake:RetryDelayMs"] = "1",
            ["Translator:Engines:fake:RequestsPerMinute"] = "600000",
            ["Translator:Engines:fake:Burst"] = "1000",
        };
        foreach (var (key, value) in values) config[key] = value;
        return config;
    }

    public TranslatorOptions Options => Services.GetRequiredService<IOptions<TranslatorOptions>>().Value;
    public TranslationEngine Engine => Services.GetRequiredService<TranslationEngine>();
    public TitleTranslator Translator => Services.GetRequiredService<TitleTranslator>();

    public void Dispose() => Services.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
