using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;

namespace NasSav.Cli.Hosting;

/// <summary>One frame of the task WebSocket: <c>{"type": …, "data": …}</c>.</summary>
public readonly record struct FeedFrame(string Type, JsonElement Data)
{
    /// <summary>Not sent by the host: the feed was lost and is connected again, frames may have been missed (re-read over REST).</summary>
    public const string Reconnected = "_reconnected";
}

/// <summary>
/// The host's task WebSocket (<c>/nassav/ws/tasks/</c>: queue_status, task_started, progress_update, task_completed,
/// task_failed, maintenance_progress) read into a channel, reconnecting every 2 s when it drops. A viewer only reads:
/// closing it never touches what the host runs.
/// </summary>
public sealed class TaskFeed : IAsyncDisposable
{
    /// <summary>
    /// The next frame, or null when none came within <paramref name="wait"/>. Without a feed (it never connected, or it
    /// was disposed) it just waits, so a caller's loop polls over REST at the same pace either way.
    /// </summary>
    public static async Task<FeedFrame?> NextAsync(TaskFeed? feed, TimeSpan wait, CancellationToken ct)
    {
        if (feed is null || feed.Frames.Completion.IsCompleted)
        {
            await Task.Delay(wait, ct);
            return null;
        }
        if (feed.Frames.TryRead(out var ready)) return ready;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(wait);
        try
        {
            if (await feed.Frames.WaitToReadAsync(timeout.Token) && feed.Frames.TryRead(out var frame)) return frame;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
        }
        return null;
    }

    private readonly HostApi _host;
    private readonly Channel<FeedFrame> _frames = Channel.CreateUnbounded<FeedFrame>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    private TaskFeed(HostApi host) => _host = host;

    public ChannelReader<FeedFrame> Frames => _frames.Reader;

    /// <summary>Connected, or null when the first connection fails (the caller falls back to polling and says so).</summary>
    public static async Task<TaskFeed?> TryConnectAsync(HostApi host, TextWriter err, CancellationToken ct)
    {
        var feed = new TaskFeed(host);
        try
        {
            var socket = await feed.ConnectAsync(ct);
            feed._loop = feed.RunAsync(socket);
            return feed;
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException or TimeoutException)
        {
            await err.WriteLineAsync($"live feed {host.FeedUri} unavailable ({ex.Message}); polling instead");
            return null;
        }
    }

    private async Task<ClientWebSocket> ConnectAsync(CancellationToken ct)
    {
        var socket = new ClientWebSocket();
        if (!string.IsNullOrEmpty(_host.ApiKey)) socket.Options.SetRequestHeader("X-Api-Key", _host.ApiKey);
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(20);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct, _stop.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            await socket.ConnectAsync(_host.FeedUri, timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested && !_stop.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException("no WebSocket handshake within 10 s");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return socket;
    }

    private async Task RunAsync(ClientWebSocket socket)
    {
        var buffer = new ArrayBufferWriter<byte>(8192);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                while (true)
                {
                    buffer.Clear();
                    ValueWebSocketReceiveResult result;
                    do
                    {
                        result = await socket.ReceiveAsync(buffer.GetMemory(8192), _stop.Token);
                        buffer.Advance(result.Count);
                    } while (!result.EndOfMessage);
                    if (result.MessageType == WebSocketMessageType.Close) break;
                    if (Parse(buffer.WrittenSpan) is { } frame) _frames.Writer.TryWrite(frame);
                }
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException)
            {
            }
            socket.Dispose();
            // Reconnect until stopped: a restarted host or a dropped proxy must not end a long watch.
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(2), _stop.Token);
                    socket = await ConnectAsync(_stop.Token);
                    _frames.Writer.TryWrite(new FeedFrame(FeedFrame.Reconnected, default));
                    break;
                }
                catch (Exception ex) when (ex is WebSocketException or HttpRequestException or TimeoutException or OperationCanceledException)
                {
                }
            }
        }
        socket.Dispose();
        _frames.Writer.TryComplete();
    }

    private static FeedFrame? Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json.ToArray());
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String) return null;
            var data = root.TryGetProperty("data", out var d) ? d.Clone() : default;
            return new FeedFrame(type.GetString()!, data);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await _loop; } catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
