using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OllamaSharp;
using OpenAI;

namespace NasSav.Translator.Engines;

/// <summary>
/// One engine's client library behind <see cref="IChatClient"/>: OllamaSharp for Ollama, the OpenAI SDK for any
/// OpenAI-compatible server. The libraries speak the protocol; retries, timeouts and the availability verdict stay
/// in <see cref="TranslationEngine"/> (the OpenAI SDK's own retries are off).
/// </summary>
public abstract class LlmClient : IDisposable
{
    public abstract IChatClient Chat { get; }

    /// <summary>The models the server offers (Ollama: GET /api/tags, OpenAI: GET /v1/models).</summary>
    public abstract Task<IReadOnlyList<string>> ListModelsAsync(CancellationToken ct);

    /// <summary>Null when <paramref name="models"/> serve the configured model, else why not.</summary>
    public abstract string? ModelProblem(IReadOnlyList<string> models);

    public abstract void Dispose();

    public static LlmClient Create(HttpClient http, EngineOptions options) => options.Type switch
    {
        "ollama" => new Ollama(http, options),
        "openai" => new OpenAi(http, options),
        _ => throw new InvalidOperationException($"Unknown engine type '{options.Type}'"),
    };

    private sealed class Ollama : LlmClient
    {
        private readonly OllamaApiClient _client;
        private readonly string _model;

        public Ollama(HttpClient http, EngineOptions options)
        {
            http.BaseAddress = new Uri(options.Url.TrimEnd('/') + "/");
            if (!string.IsNullOrEmpty(options.ApiKey))
                http.DefaultRequestHeaders.Authorization = new("Bearer", options.ApiKey);
            _client = new OllamaApiClient(http, options.Model);
            _model = options.Model;
        }

        public override IChatClient Chat => _client;

        public override async Task<IReadOnlyList<string>> ListModelsAsync(CancellationToken ct) =>
            (await _client.ListLocalModelsAsync(ct)).Select(m => m.Name).ToList();

        public override string? ModelProblem(IReadOnlyList<string> models)
        {
            // Ollama lists "qwen2.5:7b"; a model configured without a tag means ":latest".
            var wanted = _model.Contains(':') ? _model : _model + ":latest";
            return models.Any(n => n == _model || n == wanted)
                ? null
                : $"model '{_model}' is not pulled (server has: {string.Join(", ", models)})";
        }

        public override void Dispose() => _client.Dispose();
    }

    private sealed class OpenAi : LlmClient
    {
        private readonly OpenAIClient _client;
        private readonly string _model;

        public OpenAi(HttpClient http, EngineOptions options)
        {
            var url = options.Url.TrimEnd('/');
            _client = new OpenAIClient(new ApiKeyCredential(string.IsNullOrEmpty(options.ApiKey) ? "none" : options.ApiKey), new OpenAIClientOptions
            {
                // {url}/v1 unless the configured URL already ends in /v1; the SDK appends chat/completions and models.
                Endpoint = new Uri(url.EndsWith("/v1", StringComparison.OrdinalIgnoreCase) ? url : url + "/v1"),
                Transport = new HttpClientPipelineTransport(http),
                RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
                // Each call brings its own deadline (the engine's timeout); this only keeps the SDK's 100 s default out of the way.
                NetworkTimeout = TimeSpan.FromSeconds(options.TimeoutSeconds + 60),
            });
            Chat = _client.GetChatClient(options.Model).AsIChatClient();
            _model = options.Model;
        }

        public override IChatClient Chat { get; }

        public override async Task<IReadOnlyList<string>> ListModelsAsync(CancellationToken ct) =>
            (await _client.GetOpenAIModelClient().GetModelsAsync(ct)).Value.Select(m => m.Id).ToList();

        // Some servers (llama.cpp) list a file name: an empty or single-model list is accepted.
        public override string? ModelProblem(IReadOnlyList<string> models) =>
            models.Count <= 1 || models.Contains(_model) ? null : $"model '{_model}' is not served (server has: {string.Join(", ", models)})";

        public override void Dispose() => Chat.Dispose();
    }
}
