using NasSav.Testing.FakeLlm;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NasSav.ServiceDefaults.Http;

namespace NasSav.Translator.Tests.Subtitles;

/// <summary>The translator's module (AddTranslator/MapTranslator) behind the API pipeline, on Kestrel 127.0.0.1:0.</summary>
public sealed class TranslatorApp : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _dictionary;

    private TranslatorApp(WebApplication app, string dictionary, HttpClient client)
    {
        _app = app;
        _dictionary = dictionary;
        Client = client;
    }

    public HttpClient Client { get; }
    public IServiceProvider Services => _app.Services;

    public static async Task<TranslatorApp> StartAsync(FakeLlmServer? llm, IDictionary<string, string?>? extra = null, string dictionary = "")
    {
        var dictionaryFile = Path.Combine(Path.GetTempPath(), $"nassav-terms-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(dictionaryFile, dictionary);
        var settings = new Dictionary<string, string?>
        {
            ["Translator:Enabled"] = llm is null ? "false" : "true",
            ["Translator:Active"] = "test",
            ["Translator:DictionaryFile"] = dictionaryFile,
            ["Translator:Engines:test:Type"] = "ollama",
            ["Translator:Engines:test:Url"] = llm?.Url ?? "http://127.0.0.1:9",
            ["Translator:Engines:test:Model"] = "test",
            ["Translator:Engines:test:MaxRetries"] = "1",
            ["Translator:Engines:test:RetryDelayMs"] = "0",
            ["Translator:Engines:test:RequestsPerMinute"] = "6000000",
            ["Translator:Engines:test:Burst"] = "100000",
            ["Translator:Srt:MaxFileBytes"] = (64 * 1024).ToString(),
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>()) settings[key] = value;

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddTranslator(builder.Configuration);
        var app = builder.Build();
        app.UseNasSavErrorEnvelope();
        app.UseNasSavApi();
        app.MapTranslator();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TranslatorApp(app, dictionaryFile, new HttpClient { BaseAddress = new Uri(address) });
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
        File.Delete(_dictionary);
    }
}
