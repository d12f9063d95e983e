using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using NasSav.Testing;

namespace NasSav.Gateway.Tests.Support;

public static class Json
{
    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        try { return JsonDocument.Parse(text).RootElement.Clone(); }
        catch (JsonException) { throw new Xunit.Sdk.XunitException($"not JSON ({(int)response.StatusCode}): {text}"); }
    }

    /// <summary>Asserts the NASSAV envelope with HTTP status = code.</summary>
    public static async Task<JsonElement> AssertEnvelopeAsync(HttpResponseMessage response, int code, string? message = null)
    {
        var json = await ReadAsync(response);
        Assert.Equal(code, (int)response.StatusCode);
        Assert.Equal(code, json.GetProperty("code").GetInt32());
        Assert.True(json.TryGetProperty("data", out _), "envelope has data");
        if (message is not null) Assert.Equal(message, json.GetProperty("message").GetString());
        return json;
    }

    public static HttpContent Body(object value) => JsonContent.Create(value);

    public static Task<JsonElement> ReceiveAsync(this WebSocket socket, TimeSpan? timeout = null) =>
        socket.ReceiveJsonAsync(timeout ?? TimeSpan.FromSeconds(60)); // bounds a hang only

    public static Task SendTextAsync(this WebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);
}
