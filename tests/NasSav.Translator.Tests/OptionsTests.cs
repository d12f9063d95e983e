using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NasSav.ServiceDefaults.Bus;
using NasSav.ServiceDefaults.Configuration;

namespace NasSav.Translator.Tests;

public sealed class OptionsTests
{
    private static (IServiceCollection Services, TranslatorOptions Options) Bind(Dictionary<string, string?> config)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(config).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddTranslator(configuration);
        using var sp = services.BuildServiceProvider();
        return (services, sp.GetRequiredService<IOptions<TranslatorOptions>>().Value);
    }

    [Fact]
    public void Nassavs_form_with_a_colon_in_the_engine_name_is_read()
    {
        var dir = Path.Combine(Path.GetTempPath(), "nassav-translator-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "config.yaml");
        File.WriteAllText(path, """
            Translator:
              Enabled: true
              active: qwen2.5:7b
              qwen2.5:7b:
                type: ollama
                url: http://localhost:11434
                model: qwen2.5:7b
                timeout: 45
                max_retries: 5
                prompt_template: "翻译：{text}"
            """);
        var configuration = new ConfigurationBuilder().AddYamlFile(path, optional: false).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddTranslator(configuration);
        using var sp = services.BuildServiceProvider();
        var options = sp.GetRequiredService<IOptions<TranslatorOptions>>().Value;

        var engine = Assert.IsType<EngineOptions>(options.ActiveEngine);
        Assert.Equal("ollama", engine.Type);
        Assert.Equal("http://localhost:11434", engine.Url);
        Assert.Equal("qwen2.5:7b", engine.Model);
        Assert.Equal(45, engine.TimeoutSeconds);
        Assert.Equal(5, engine.MaxRetries);
        Assert.Equal("翻译：{text}", engine.PromptTemplate);
        Assert.Equal(60, engine.RequestsPerMinute);
        Assert.Equal(0, engine.Temperature); // not NASSAV's 0.1
    }

    [Fact]
    public void Defaults_are_the_documented_ones()
    {
        var (_, o) = Bind(new() { ["Translator:Active"] = "x", ["Translator:Engines:x:Model"] = "m" });
        Assert.False(o.Enabled);
        Assert.Equal(TranslatorOptions.DefaultPromptTemplate, o.PromptTemplate);
        Assert.Equal("1", o.PromptVersion);
        Assert.Equal(2, o.ConcurrentMessageLimit);
        var e = o.ActiveEngine!;
        Assert.Equal((30.0, 3, 60.0, 0.0, "ollama"), (e.TimeoutSeconds, e.MaxRetries, e.RequestsPerMinute, e.Temperature, e.Type));
    }

    [Theory]
    [InlineData("Translator:Active", "nope", "Translator:Active: 'nope' names no engine")]
    [InlineData("Translator:Engines:fake:Type", "gemini", "Translator:Engines:fake:Type: 'gemini' is not one of ollama, openai")]
    [InlineData("Translator:Engines:fake:Url", "localhost:11434", "Translator:Engines:fake:Url: 'localhost:11434' is not an absolute http(s) URL")]
    [InlineData("Translator:PromptTemplate", "翻译", "Translator:PromptTemplate: must contain {text}")]
    [InlineData("Translator:DictionaryFile", "/nope/terms.yaml", "Translator:DictionaryFile: '/nope/terms.yaml' does not exist")]
    [InlineData("Translator:Engines:fake:MaxRetries", "0", "Translator:Engines:fake:MaxRetries: must be at least 1")]
    public void Invalid_settings_fail_with_the_key_named(string key, string value, string expected)
    {
        var config = new Dictionary<string, string?>
        {
            ["Translator:Enabled"] = "true", ["Translator:Active"] = "fake",
            ["Translator:Engines:fake:Url"] = "http://127.0.0.1:1", ["Translator:Engines:fake:Model"] = "m",
            [key] = value,
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(config).Build();
        var services = new ServiceCollection();
        services.AddTranslator(configuration);
        using var sp = services.BuildServiceProvider();
        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<TranslatorOptions>>().Value);
        Assert.Contains(ex.Failures, f => f.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Disabled_registers_no_consumer_and_no_health_check()
    {
        var (services, _) = Bind(new() { ["Translator:Enabled"] = "false" });
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(BusContribution));
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(TitleTranslator));

        var (enabled, _) = Bind(new()
        {
            ["Translator:Enabled"] = "true", ["Translator:Active"] = "x",
            ["Translator:Engines:x:Url"] = "http://127.0.0.1:1", ["Translator:Engines:x:Model"] = "m",
        });
        Assert.Single(enabled, d => d.ServiceType == typeof(BusContribution));
    }

    [Fact]
    public void The_concurrency_limit_reaches_the_consumer_definition()
    {
        var definition = new TranslateTitleConsumerDefinition(Options.Create(new TranslatorOptions { ConcurrentMessageLimit = 5 }));
        Assert.Equal(5, ((IConsumerDefinition)definition).ConcurrentMessageLimit);
    }
}
