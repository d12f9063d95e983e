using System.Net.WebSockets;
using System.Text.Json;

namespace NasSav.Testing;

/// <summary>Reading the gateway's JSON frames off a WebSocket in tests, each read bounded by a timeout.</summary>
public static class WebSocketFrames
{
    /// <summary>One whole frame as JSON; a close frame fails the test.</summary>
    public static async Task<JsonElement> ReceiveJsonAsync(this WebSocket socket, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[256 * 1024];
        var count = 0;
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer, count, buffer.Length - count), cts.Token);
            count += result.Count;
        }
        while (!result.EndOfMessage);
        if (result.MessageType == WebSocketMessageType.Close)
            throw new Xunit.Sdk.XunitException($"socket closed: {result.CloseStatus} {result.CloseStatusDescription}");
        return JsonDocument.Parse(buffer.AsMemory(0, count)).RootElement.Clone();
    }

    /// <summary>Frames are read until one matches, all within <paramref name="patience"/>.</summary>
    public static async Task<JsonElement> ReceiveUntilAsync(this WebSocket socket, Func<JsonElement, bool> match, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException($"no matching frame within {patience.TotalSeconds:0.#} s");
            var frame = await socket.ReceiveJsonAsync(left);
            if (match(frame)) return frame;
        }
    }
}
