using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

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

    public static async Task<JsonElement> ReceiveAsync(this WebSocket socket, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var buffer = new byte[256 * 1024];
        var count = 0;
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer, count, buffer.Length - count), cts.Token);
            count += result.Count;
        }
        while (!result.EndOfMessage);
        if (result.MessageType == WebSocketMessageType.Close) throw new Xunit.Sdk.XunitException($"socket closed: {result.CloseStatus} {result.CloseStatusDescription}");
        return JsonDocument.Parse(buffer.AsMemory(0, count)).RootElement.Clone();
    }

    public static Task SendTextAsync(this WebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);
}
