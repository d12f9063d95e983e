using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace NasSav.Testing.FakeLlm;

/// <summary>How the fake answers a completion request (chat, generate, chat/completions).</summary>
public enum FakeLlmBehaviour
{
    /// <summary>The deterministic translation, as JSON when the request asked for JSON and <see cref="FakeLlmServer.AnswerJson"/>.</summary>
    Normal,
    /// <summary>Waits <see cref="FakeLlmServer.SlowDelay"/> (past the client's timeout), then answers normally.</summary>
    Slow,
    /// <summary>HTTP 500 with an Ollama-style error body.</summary>
    Error500,
    /// <summary>A 200 whose content is empty.</summary>
    Empty,
    /// <summary>Plain text that needs cleaning: 翻译结果："…"（注：…）and a 说明： line.</summary>
    Chatty,
    /// <summary>The connection is dropped on every endpoint, /api/tags included (as a stopped server).</summary>
    Down,
}

/// <summary>One request as received.</summary>
public sealed record FakeLlmRequest(string Method, string Path, string? Authorization, string Body)
{
    public JsonNode? Json { get; } = TryParse(Body);
    /// <summary>When the request's body had arrived (Stopwatch timestamp of the test process), for rate checks.</summary>
    public long ReceivedAt { get; } = System.Diagnostics.Stopwatch.GetTimestamp();
    public string? Model => Json?["model"]?.GetValue<string>();
    /// <summary>The last user message (chat APIs) or the prompt (/api/generate).</summary>
    public string? Prompt => Json?["messages"] is JsonArray m ? m[^1]?["content"]?.GetValue<string>() : Json?["prompt"]?.GetValue<string>();
    /// <summary>options.temperature (Ollama) or temperature (OpenAI).</summary>
    public double? Temperature => (Json?["options"]?["temperature"] ?? Json?["temperature"])?.GetValue<double>();
    /// <summary>Ollama's format = "json", or OpenAI's response_format.type = "json_object".</summary>
    public bool AskedForJson => Json?["format"]?.ToString() == "json" || Json?["response_format"]?["type"]?.GetValue<string>() == "json_object";
    public bool IsCompletion => Path is "/api/chat" or "/api/generate" or "/v1/chat/completions";
    /// <summary>Whether the client asked for a streamed answer: Ollama streams unless told "stream": false, OpenAI only when told true.</summary>
    public bool Streamed => Path.StartsWith("/api/", StringComparison.Ordinal)
        ? Json?["stream"]?.GetValue<bool>() != false
        : Json?["stream"]?.GetValue<bool>() == true;
    /// <summary>Chat requests carry a non-empty list of {role, content} messages, as both APIs require.</summary>
    public bool HasValidMessages => Path == "/api/generate"
        || (Json?["messages"] is JsonArray { Count: > 0 } messages
            && messages.All(m => m?["role"]?.GetValue<string>() is "system" or "user" or "assistant" && m["content"] is JsonValue));

    private static JsonNode? TryParse(string body)
    {
        if (string.IsNullOrWhiteSpace(body)) return null;
        try { return JsonNode.Parse(body); } catch (System.Text.Json.JsonException) { return null; }
    }
}

/// <summary>
/// A fake LLM server of ours speaking the real protocols over HTTP on 127.0.0.1:0: Ollama's GET /api/tags,
/// POST /api/chat and /api/generate, and OpenAI's GET /v1/models and POST /v1/chat/completions, each answered
/// streamed (Ollama's NDJSON lines, OpenAI's server-sent events) or whole, as the request asks. Its
/// "translation" is deterministic (<see cref="Translate"/>: "译:" + the reversed title); behaviours are
/// switchable at run time or queued per request; every request is recorded.
/// </summary>
public sealed partial class FakeLlmServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FakeLlmRequest> _requests = new();
    private readonly ConcurrentQueue<FakeLlmBehaviour> _next = new();

    private FakeLlmServer(WebApplication app) => _app = app;

    /// <summary>http://127.0.0.1:port (Ollama's base URL; the OpenAI one is {Url}/v1).</summary>
    public string Url { get; private set; } = "";
    public FakeLlmBehaviour Behaviour { get; set; } = FakeLlmBehaviour.Normal;
    /// <summary>Answer {"translation": "..."} when the request asks for JSON; false = a model that ignores it.</summary>
    public bool AnswerJson { get; set; } = true;
    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>Models listed by /api/tags and /v1/models.</summary>
    public List<string> Models { get; } = ["qwen2.5:7b"];
    /// <summary>The API key required as "Authorization: Bearer {key}" on /v1 (null = none required).</summary>
    public string? RequiredApiKey { get; set; }
    /// <summary>Title → translation.</summary>
    public Func<string, string> Translate { get; set; } = DefaultTranslate;
    /// <summary>
    /// Prompt → the whole answer content, replacing the title translation (for prompts that are not a title,
    /// e.g. numbered subtitle lines). Behaviours other than Normal still apply.
    /// </summary>
    public Func<string, string>? Answer { get; set; }

    public IReadOnlyList<FakeLlmRequest> Requests => [.. _requests];
    public IReadOnlyList<FakeLlmRequest> Completions => [.. _requests.Where(r => r.IsCompletion)];
    /// <summary>The prompts of the completion requests, in arrival order.</summary>
    public IReadOnlyList<string> Prompts => [.. Completions.Select(r => r.Prompt ?? "")];

    /// <summary>The next completion requests get these behaviours, in order; then <see cref="Behaviour"/> again.</summary>
    public void Next(params FakeLlmBehaviour[] behaviours)
    {
        foreach (var b in behaviours) _next.Enqueue(b);
    }

    public void ClearRequests() => _requests.Clear();

    public static string DefaultTranslate(string title) => "译:" + new string([.. title.Reverse()]);

    /// <summary>The title inside a prompt: after 日语标题： (the default template), else after 翻译：, else the first line.</summary>
    public static string TitleOf(string prompt)
    {
        var m = TitleRegex().Match(prompt);
        if (m.Success) return m.Groups[1].Value.Trim();
        return prompt.Split('\n')[0].Trim();
    }

    public static async Task<FakeLlmServer> StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, port));
        var app = builder.Build();
        var server = new FakeLlmServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        string body;
        using (var reader = new StreamReader(context.Request.Body)) body = await reader.ReadToEndAsync(context.RequestAborted);
        var request = new FakeLlmRequest(context.Request.Method, context.Request.Path.Value ?? "", context.Request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null, body);
        _requests.Enqueue(request);

        var behaviour = request.IsCompletion && _next.TryDequeue(out var queued) ? queued : Behaviour;
        if (behaviour == FakeLlmBehaviour.Down)
        {
            context.Abort();
            return;
        }
        if (request.Path.StartsWith("/v1/", StringComparison.Ordinal) && RequiredApiKey is not null && request.Authorization != "Bearer " + RequiredApiKey)
        {
            context.Response.StatusCode = 401;
            await context.Response.WriteAsJsonAsync(new { error = new { message = "Incorrect API key provided", type = "invalid_request_error" } });
            return;
        }

        switch (context.Request.Method, request.Path)
        {
            case ("GET", "/api/tags"):
                await context.Response.WriteAsJsonAsync(new { models = Models.Select(m => new { name = m, model = m, size = 4683087332L }) });
                return;
            case ("GET", "/v1/models"):
                await context.Response.WriteAsJsonAsync(new { @object = "list", data = Models.Select(m => new { id = m, @object = "model", owned_by = "library" }) });
                return;
            case ("POST", "/api/chat" or "/api/generate" or "/v1/chat/completions"):
                break;
            default:
                context.Response.StatusCode = 404;
                await context.Response.WriteAsync("404 page not found");
                return;
        }

        if (request.Json is null || request.Model is null || !request.HasValidMessages)
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsJsonAsync(new { error = request.Model is null ? "model is required" : "invalid messages" });
            return;
        }
        if (!Models.Contains(request.Model))
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsJsonAsync(new { error = $"model \"{request.Model}\" not found, try pulling it first" });
            return;
        }
        if (behaviour == FakeLlmBehaviour.Slow)
        {
            try { await Task.Delay(SlowDelay, context.RequestAborted); }
            catch (OperationCanceledException) { return; }
        }
        if (behaviour == FakeLlmBehaviour.Error500)
        {
            context.Response.StatusCode = 500;
            await context.Response.WriteAsJsonAsync(new { error = "llama runner process has terminated" });
            return;
        }

        var translation = Translate(TitleOf(request.Prompt ?? ""));
        var content = behaviour switch
        {
            FakeLlmBehaviour.Empty => "",
            _ when Answer is not null => Answer(request.Prompt ?? ""),
            FakeLlmBehaviour.Chatty => $"翻译结果：“{translation}”（注：保留了人名和番号）\n\n说明：这是直译。",
            _ when request.AskedForJson && AnswerJson => new JsonObject { ["translation"] = translation }.ToJsonString(),
            _ => translation,
        };

        if (request.Streamed)
        {
            await StreamAsync(context, request, content);
            return;
        }
        object answer = request.Path switch
        {
            "/api/chat" => new { model = request.Model, created_at = DateTime.UtcNow, message = new { role = "assistant", content }, done = true, done_reason = "stop" },
            "/api/generate" => new { model = request.Model, created_at = DateTime.UtcNow, response = content, done = true, done_reason = "stop" },
            _ => new
            {
                id = "chatcmpl-fake", @object = "chat.completion", created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), model = request.Model,
                choices = new[] { new { index = 0, message = new { role = "assistant", content }, finish_reason = "stop" } },
            },
        };
        await context.Response.WriteAsJsonAsync(answer);
    }

    /// <summary>The content in two pieces, then the end: NDJSON lines (Ollama) or server-sent events ending in [DONE] (OpenAI).</summary>
    private static async Task StreamAsync(HttpContext context, FakeLlmRequest request, string content)
    {
        var half = content.Length / 2;
        string[] pieces = [content[..half], content[half..]];
        var ollama = request.Path.StartsWith("/api/", StringComparison.Ordinal);
        context.Response.ContentType = ollama ? "application/x-ndjson" : "text/event-stream";
        foreach (var (piece, last) in pieces.Select((p, i) => (p, i == pieces.Length - 1)))
        {
            object chunk = ollama
                ? request.Path == "/api/chat"
                    ? new { model = request.Model, created_at = DateTime.UtcNow, message = new { role = "assistant", content = piece }, done = false }
                    : new { model = request.Model, created_at = DateTime.UtcNow, response = piece, done = false }
                : new
                {
                    id = "chatcmpl-fake", @object = "chat.completion.chunk", created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), model = request.Model,
                    choices = new[] { new { index = 0, delta = new { role = "assistant", content = piece }, finish_reason = last ? "stop" : null } },
                };
            await WriteLineAsync(context, chunk, ollama);
        }
        if (ollama)
            await WriteLineAsync(context, request.Path == "/api/chat"
                ? new { model = request.Model, created_at = DateTime.UtcNow, message = new { role = "assistant", content = "" }, done = true, done_reason = "stop" }
                : new { model = request.Model, created_at = DateTime.UtcNow, response = "", done = true, done_reason = "stop" }, ollama);
        else
            await context.Response.WriteAsync("data: [DONE]\n\n");
    }

    private static async Task WriteLineAsync(HttpContext context, object chunk, bool ndjson)
    {
        var json = System.Text.Json.JsonSerializer.Serialize(chunk);
        await context.Response.WriteAsync(ndjson ? json + "\n" : $"data: {json}\n\n");
        await context.Response.Body.FlushAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [GeneratedRegex(@"(?:日语标题|翻译)[:：]([^\n]+)")]
    private static partial Regex TitleRegex();
}
