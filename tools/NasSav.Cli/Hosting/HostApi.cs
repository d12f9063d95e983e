using System.Net.Http.Json;
using System.Text.Json;

namespace NasSav.Cli.Hosting;

/// <summary>The host's answer: HTTP status and the <c>{code, message, data}</c> envelope (data undefined when there was none).</summary>
public sealed record ApiAnswer(int Status, string Message, JsonElement Data, string Body)
{
    public bool Ok => Status is >= 200 and < 300;
    public bool HasData => Data.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null);

    /// <summary>"HTTP 404: 资源 X 不存在", the form every command prints a refusal in.</summary>
    public string Describe() => $"HTTP {Status}: {Message}";
}

/// <summary>The public API of a running host (<c>/nassav/api/…</c>, the envelope, <c>X-Api-Key</c>) and its task WebSocket.</summary>
public sealed class HostApi(HttpClient http, Uri baseUrl, string? apiKey)
{
    public const string ApiPrefix = "nassav/api/";

    public Uri BaseUrl { get; } = baseUrl;
    public string? ApiKey { get; } = apiKey;

    /// <summary>ws(s)://host/…/nassav/ws/tasks/ (the trailing slash is part of the path).</summary>
    public Uri FeedUri => new UriBuilder(new Uri(BaseUrl, "nassav/ws/tasks/")) { Scheme = BaseUrl.Scheme == "https" ? "wss" : "ws" }.Uri;

    public Task<ApiAnswer> GetAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Get, path, null, ct);
    public Task<ApiAnswer> PostAsync(string path, object? body, CancellationToken ct) => SendAsync(HttpMethod.Post, path, body, ct);
    public Task<ApiAnswer> DeleteAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Delete, path, null, ct);

    /// <param name="path">Relative to <c>/nassav/api/</c>, query included.</param>
    /// <exception cref="HostUnreachableException">no HTTP answer at all.</exception>
    public async Task<ApiAnswer> SendAsync(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, ApiPrefix + path);
        if (body is not null) request.Content = JsonContent.Create(body);
        if (!string.IsNullOrEmpty(ApiKey)) request.Headers.Add("X-Api-Key", ApiKey);
        string text;
        int status;
        try
        {
            using var response = await http.SendAsync(request, ct);
            status = (int)response.StatusCode;
            text = await response.Content.ReadAsStringAsync(ct);
        }
        catch (HttpRequestException ex)
        {
            throw new HostUnreachableException(BaseUrl, ex);
        }
        catch (TaskCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new HostUnreachableException(BaseUrl, new TimeoutException("no answer in time", ex));
        }
        JsonElement envelope = default;
        try { envelope = JsonDocument.Parse(text).RootElement.Clone(); }
        catch (JsonException) { }
        if (envelope.ValueKind != JsonValueKind.Object)
            return new ApiAnswer(status, text.Length > 200 ? text[..200] : text, default, text);
        var message = envelope.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "";
        var data = envelope.TryGetProperty("data", out var d) ? d : default;
        return new ApiAnswer(status, message, data, text);
    }

    public static string Escape(string value) => Uri.EscapeDataString(value);
}
