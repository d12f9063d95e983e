using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NasSav.ServiceDefaults.Http;

namespace NasSav.Gateway.WebSockets;

/// <summary>
/// <c>/nassav/ws/tasks/</c> (with or without the trailing slash), hosted by the gateway itself: a
/// queue_status on connect, answers to <c>{"action":"get_queue_status"}</c>, an error frame for invalid
/// JSON, and every broadcast of <see cref="FeedHub"/>.
/// </summary>
public sealed class TaskFeedMiddleware(RequestDelegate next, FeedHub hub, QueueStatusSource queue, OriginPolicy origins,
    IOptions<GatewayOptions> options, IHostApplicationLifetime lifetime, ILogger<TaskFeedMiddleware> log)
{
    public const string Path = "/nassav/ws/tasks";
    private const int MaxMessageBytes = 16 * 1024;
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(2);
    private static readonly byte[] InvalidJsonFrame = """{"type":"error","message":"Invalid JSON"}"""u8.ToArray();

    private readonly WebSocketSettings _settings = options.Value.WebSocket;

    public static bool IsFeedPath(PathString path) =>
        path.Equals(Path, StringComparison.OrdinalIgnoreCase) || path.Equals(Path + "/", StringComparison.OrdinalIgnoreCase);

    public async Task InvokeAsync(HttpContext context)
    {
        if (!IsFeedPath(context.Request.Path))
        {
            await next(context);
            return;
        }
        if (!origins.IsAllowed(context.Request))
        {
            log.LogWarning("WebSocket refused for origin {Origin}", context.Request.Headers.Origin.ToString());
            await ApiResults.WriteAsync(context, 403, $"不允许的来源: {context.Request.Headers.Origin}");
            return;
        }
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await ApiResults.WriteAsync(context, 400, "此地址只接受 WebSocket 连接");
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = TimeSpan.FromSeconds(_settings.KeepAliveInterval),
            KeepAliveTimeout = TimeSpan.FromSeconds(_settings.KeepAliveInterval * 3),
        });
        var connection = new FeedConnection(_settings.SendQueueLimit);
        using var sendCancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var sendLoop = RunSendLoopAsync(connection, socket, sendCancel.Token);
        hub.Add(connection);
        // On shutdown: a close frame after what is queued, then a short grace for the client's answer.
        using var receiveCancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        using var stopping = lifetime.ApplicationStopping.Register(() =>
        {
            connection.RequestClose(WebSocketCloseStatus.EndpointUnavailable, "server shutting down");
            try { receiveCancel.CancelAfter(ShutdownGrace); } catch (ObjectDisposedException) { }
        });
        try
        {
            connection.Enqueue(new OutgoingFrame(FrameKind.Snapshot, QueueStatusJson.Frame(await queue.GetAsync(receiveCancel.Token))));
            await ReceiveLoopAsync(connection, socket, receiveCancel.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The client went away without a close handshake.
        }
        finally
        {
            hub.Remove(connection);
            connection.RequestClose(WebSocketCloseStatus.NormalClosure, null);
            sendCancel.CancelAfter(ShutdownGrace); // a client that does not read cannot hold us
            await sendLoop;
        }
    }

    private async Task RunSendLoopAsync(FeedConnection connection, WebSocket socket, CancellationToken token)
    {
        try
        {
            await connection.RunSendLoopAsync(socket, token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            socket.Abort();
        }
        if (connection.Dropped > 0) log.LogInformation("WebSocket client was slow: {Dropped} frames dropped", connection.Dropped);
    }

    private async Task ReceiveLoopAsync(FeedConnection connection, WebSocket socket, CancellationToken token)
    {
        var buffer = new byte[MaxMessageBytes];
        while (true)
        {
            var count = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                if (count == buffer.Length)
                {
                    connection.RequestClose(WebSocketCloseStatus.MessageTooBig, $"messages are limited to {MaxMessageBytes} bytes");
                    return;
                }
                result = await socket.ReceiveAsync(buffer.AsMemory(count), token);
                count += result.Count;
            }
            while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

            if (result.MessageType == WebSocketMessageType.Close) return; // finally{} answers the close
            if (result.MessageType != WebSocketMessageType.Text) continue;
            await HandleMessageAsync(connection, buffer.AsMemory(0, count), token);
        }
    }

    private async Task HandleMessageAsync(FeedConnection connection, ReadOnlyMemory<byte> message, CancellationToken token)
    {
        // The same reader as request bodies: a frame with an undecodable string ({"action":"\ud800"}) is invalid
        // JSON to the client, not an exception that drops the socket.
        if (!JsonInput.TryParse(message.Span, out var json, out _))
        {
            connection.Enqueue(new OutgoingFrame(FrameKind.Event, InvalidJsonFrame));
            return;
        }
        var action = json.ValueKind == JsonValueKind.Object && json.TryGetProperty("action", out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
        if (action == "get_queue_status")
            connection.Enqueue(new OutgoingFrame(FrameKind.Snapshot, QueueStatusJson.Frame(await queue.GetAsync(token))));
        // Anything else is ignored, as by the peer.
    }
}
