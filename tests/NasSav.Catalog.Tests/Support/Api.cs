using System.Net;
using System.Text;
using System.Text.Json;

namespace NasSav.Catalog.Tests.Support;

public sealed record ApiAnswer(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)
{
    public int Code => Body.GetProperty("code").GetInt32();
    public string Message => Body.GetProperty("message").GetString()!;
    public JsonElement Data => Body.GetProperty("data");
    public JsonElement Pagination => Body.GetProperty("pagination");

    /// <summary>HTTP status and envelope code are both <paramref name="code"/>, with a message.</summary>
    public ApiAnswer Is(int code)
    {
        Assert.True((int)Status == code, $"expected HTTP {code}, got {(int)Status}: {Body}");
        Assert.Equal(code, Code);
        Assert.False(string.IsNullOrEmpty(Message));
        return this;
    }

    public List<string> Strings(string property) =>
        Data.EnumerateArray().Select(i => i.GetProperty(property).GetString()!).ToList();
}

public static class Api
{
    public const string Prefix = "/nassav/api";

    public static Task<ApiAnswer> ApiGetAsync(this HttpClient client, string path) => client.SendAsync(HttpMethod.Get, path);

    public static async Task<ApiAnswer> SendAsync(this HttpClient client, HttpMethod method, string path, string? json = null,
        Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, path.StartsWith('/') && !path.StartsWith(Prefix) ? Prefix + path : path);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        configure?.Invoke(request);
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return new ApiAnswer(response.StatusCode, body, response);
    }

    public static Task<ApiAnswer> SendJsonAsync(this HttpClient client, HttpMethod method, string path, object body) =>
        client.SendAsync(method, path, JsonSerializer.Serialize(body));
}
