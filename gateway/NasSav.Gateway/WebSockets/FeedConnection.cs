using System.Net.WebSockets;

namespace NasSav.Gateway.WebSockets;

public enum FrameKind
{
    /// <summary>A full queue_status: a newer one supersedes an older one.</summary>
    Snapshot,
    /// <summary>progress_update: the first to go when a client falls behind.</summary>
    Progress,
    /// <summary>task_started / task_completed / task_failed / error: kept as long as possible.</summary>
    Event,
}

public sealed record OutgoingFrame(FrameKind Kind, ReadOnlyMemory<byte> Payload);

/// <summary>
/// One connected client. Producers (the bus consumer, the receive loop) only enqueue, never wait; a single
/// send loop writes the frames (and the close frame) to the socket. When the bounded queue is full the
/// oldest progress frame goes first, then a queue_status superseded by a newer one, then the oldest frame.
/// </summary>
public sealed class FeedConnection(int limit)
{
    private readonly LinkedList<OutgoingFrame> _queue = new();
    private readonly SemaphoreSlim _signal = new(0);
    private WebSocketCloseStatus? _close;
    private string? _closeDescription;
    private long _dropped;

    public Guid Id { get; } = Guid.NewGuid();
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Enqueue(OutgoingFrame frame)
    {
        lock (_queue)
        {
            if (_close is not null) return;
            if (_queue.Count >= limit)
            {
                var victim = Oldest(FrameKind.Progress);
                if (victim is null && frame.Kind == FrameKind.Progress)
                {
                    Interlocked.Increment(ref _dropped);
                    return;
                }
                victim ??= frame.Kind == FrameKind.Snapshot || CountOf(FrameKind.Snapshot) > 1 ? Oldest(FrameKind.Snapshot) : null;
                victim ??= _queue.First;
                _queue.Remove(victim!);
                Interlocked.Increment(ref _dropped);
            }
            _queue.AddLast(frame);
        }
        _signal.Release();
    }

    /// <summary>Ask the send loop to send a close frame after what is queued, then stop.</summary>
    public void RequestClose(WebSocketCloseStatus status, string? description)
    {
        lock (_queue)
        {
            _close ??= status;
            _closeDescription ??= description;
        }
        _signal.Release();
    }

    public async Task RunSendLoopAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        while (true)
        {
            await _signal.WaitAsync(cancellationToken);
            while (TryDequeue(out var frame))
                await socket.SendAsync(frame.Payload, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

            WebSocketCloseStatus? close;
            lock (_queue) close = _close;
            if (close is null) continue;
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                await socket.CloseOutputAsync(close.Value, _closeDescription, cancellationToken);
            return;
        }
    }

    private bool TryDequeue(out OutgoingFrame frame)
    {
        lock (_queue)
        {
            if (_queue.First is { } first)
            {
                _queue.RemoveFirst();
                frame = first.Value;
                return true;
            }
        }
        frame = null!;
        return false;
    }

    /// <summary>What waits to be sent, oldest first (for tests and diagnostics).</summary>
    internal IReadOnlyList<OutgoingFrame> Pending()
    {
        lock (_queue) return _queue.ToList();
    }

    private LinkedListNode<OutgoingFrame>? Oldest(FrameKind kind)
    {
        for (var node = _queue.First; node is not null; node = node.Next)
            if (node.Value.Kind == kind) return node;
        return null;
    }

    private int CountOf(FrameKind kind) => _queue.Count(f => f.Kind == kind);
}
