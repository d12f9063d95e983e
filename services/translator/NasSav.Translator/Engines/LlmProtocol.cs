using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NasSav.Translator.Engines;

/// <summary>One HTTP exchange with an LLM: no retries, no rate limit (see <see cref="TranslationEngine"/>).</summary>
public abstract class LlmProtocol(HttpClient http, EngineOptions options)
{
    protected HttpClient Http { get; } = http;
    protected EngineOptions Options { get; } = options;
    protected string BaseUrl => Options.Url.TrimEnd('/');

    public static LlmProtocol Create(HttpClient http, EngineOptions options) => options.Type switch
    {
        "ollama" => new OllamaProtocol(http, options),
        "openai" => new OpenAiProtocol(http, options),
        _ => throw new InvalidOperationException($"Unknown engine type '{options.Type}'"),
    };

    /// <summary>The answer's text (the "translation" field when the model answered the JSON asked for).</summary>
    public abstract Task<string> CompleteAsync(string prompt, CancellationToken ct);

    /// <summary>Null when the server answers and serves the model, else why not.</summary>
    public abstract Task<string?> ProbeAsync(CancellationToken ct);

    protected async Task<JsonNode?> PostJsonAsync(string url, JsonObject body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (!string.IsNullOrEmpty(Options.ApiKey))
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Options.ApiKey);
        using var response = await Http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
            throw new LlmHttpException(response.StatusCode, Truncate(text));
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            throw new LlmHttpException(response.StatusCode, "answer is not JSON: " + Truncate(text));
        }
    }

    protected async Task<(HttpStatusCode Status, string Body)> GetAsync(string url, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (!string.IsNullOrEmpty(Options.ApiKey))
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Options.ApiKey);
        using var response = await Http.SendAsync(request, ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(ct));
    }

    /// <summary>{"translation": "..."} → its value; anything else is taken as plain text.</summary>
    public static string ExtractTranslation(string? content)
    {
        var text = (content ?? "").Trim();
        if (text.StartsWith('{') && text.EndsWith('}'))
        {
            try
            {
                if (JsonNode.Parse(text) is JsonObject obj)
                {
                    foreach (var name in new[] { "translation", "translated_title", "title", "result" })
                        if (obj[name] is JsonValue v && v.TryGetValue<string>(out var s)) return s.Trim();
                    // One string property: take it.
                    var strings = obj.Select(p => p.Value).OfType<JsonValue>()
                        .Select(v => v.TryGetValue<string>(out var s) ? s : null).Where(s => s is not null).ToList();
                    if (strings.Count == 1) return strings[0]!.Trim();
                }
            }
            catch (JsonException)
            {
                // plain text after all
            }
        }
        return text;
    }

    protected static string Truncate(string s) => s.Length <= 300 ? s : s[..300] + "…";
}

public sealed class LlmHttpException(HttpStatusCode status, string detail)
    : Exception($"HTTP {(int)status}: {detail}")
{
    public HttpStatusCode Status { get; } = status;
    public bool Transient => (int)Status >= 500 || Status == HttpStatusCode.TooManyRequests || Status == HttpStatusCode.RequestTimeout;
}

/// <summary>Ollama's native API: POST /api/chat, availability from GET /api/tags.</summary>
public sealed class OllamaProtocol(HttpClient http, EngineOptions options) : LlmProtocol(http, options)
{
    public override async Task<string> CompleteAsync(string prompt, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["model"] = Options.Model,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = prompt }),
            ["stream"] = false,
            ["options"] = new JsonObject { ["temperature"] = Options.Temperature },
        };
        if (Options.Json) body["format"] = "json";
        var answer = await PostJsonAsync($"{BaseUrl}/api/chat", body, ct);
        return ExtractTranslation(answer?["message"]?["content"]?.GetValue<string>());
    }

    public override async Task<string?> ProbeAsync(CancellationToken ct)
    {
        var (status, body) = await GetAsync($"{BaseUrl}/api/tags", ct);
        if ((int)status >= 400) return $"GET /api/tags: HTTP {(int)status}";
        var names = new List<string>();
        try
        {
            if (JsonNode.Parse(body)?["models"] is JsonArray models)
                names.AddRange(models.Select(m => m?["name"]?.GetValue<string>() ?? m?["model"]?.GetValue<string>()).OfType<string>());
        }
        catch (JsonException)
        {
            return "GET /api/tags: answer is not JSON";
        }
        // Ollama lists "qwen2.5:7b"; a model configured without a tag means ":latest".
        var wanted = Options.Model.Contains(':') ? Options.Model : Options.Model + ":latest";
        return names.Any(n => n == Options.Model || n == wanted)
            ? null
            : $"model '{Options.Model}' is not pulled (server has: {string.Join(", ", names)})";
    }
}

/// <summary>Any OpenAI-compatible server: POST {url}/v1/chat/completions (or {url}/chat/completions when Url ends in /v1).</summary>
public sealed class OpenAiProtocol(HttpClient http, EngineOptions options) : LlmProtocol(http, options)
{
    private string V1 => BaseUrl.EndsWith("/v1", StringComparison.OrdinalIgnoreCase) ? BaseUrl : BaseUrl + "/v1";

    public override async Task<string> CompleteAsync(string prompt, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["model"] = Options.Model,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = prompt }),
            ["stream"] = false,
            ["temperature"] = Options.Temperature,
        };
        if (Options.Json) body["response_format"] = new JsonObject { ["type"] = "json_object" };
        var answer = await PostJsonAsync($"{V1}/chat/completions", body, ct);
        return ExtractTranslation(answer?["choices"]?[0]?["message"]?["content"]?.GetValue<string>());
    }

    public override async Task<string?> ProbeAsync(CancellationToken ct)
    {
        var (status, body) = await GetAsync($"{V1}/models", ct);
        if ((int)status >= 400) return $"GET /v1/models: HTTP {(int)status}";
        try
        {
            if (JsonNode.Parse(body)?["data"] is JsonArray data)
            {
                var ids = data.Select(m => m?["id"]?.GetValue<string>()).OfType<string>().ToList();
                // Some servers (llama.cpp) list a file name: an empty or single-model list is accepted.
                return ids.Count <= 1 || ids.Contains(Options.Model) ? null : $"model '{Options.Model}' is not served (server has: {string.Join(", ", ids)})";
            }
        }
        catch (JsonException)
        {
            return "GET /v1/models: answer is not JSON";
        }
        return null;
    }
}
