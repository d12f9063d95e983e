using System.Text;
using Microsoft.Extensions.Logging;

namespace NasSav.ServiceDefaults.Redis;

/// <summary>
/// The pub/sub side of <see cref="RedisClient"/>: its own connection (a subscribed connection accepts no
/// other commands), kept up by a loop that reconnects with backoff and re-subscribes every channel that
/// still has handlers.
/// </summary>
internal sealed class RedisSubscriber(RedisClientSettings settings, ILogger logger) : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Channel> _channels = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private RedisConnection? _connection;
    private Task? _loop;

    public event Action? Reconnected;

    private sealed class Channel
    {
        public readonly List<Action<string, byte[]>> Handlers = [];
        public TaskCompletionSource Confirmed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public async Task<IAsyncDisposable> SubscribeAsync(string channel, Action<string, byte[]> handler, CancellationToken ct)
    {
        Task confirmed;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
            if (!_channels.TryGetValue(channel, out var entry))
            {
                _channels[channel] = entry = new Channel();
                TrySend(_connection, "SUBSCRIBE", [channel]);
            }
            entry.Handlers.Add(handler);
            confirmed = entry.Confirmed.Task;
            _loop ??= Task.Run(() => RunAsync(_stop.Token));
        }
        var subscription = new Subscription(this, channel, handler);
        try
        {
            await confirmed.WaitAsync(settings.CommandTimeout + settings.ConnectTimeout, ct);
        }
        catch (TimeoutException)
        {
            Unsubscribe(channel, handler);
            throw new RedisConnectionException(settings.Endpoint, $"SUBSCRIBE {channel} was not confirmed in time (subscriber connection down?)");
        }
        catch
        {
            Unsubscribe(channel, handler);
            throw;
        }
        return subscription;
    }

    private void Unsubscribe(string channel, Action<string, byte[]> handler)
    {
        lock (_gate)
        {
            if (!_channels.TryGetValue(channel, out var entry)) return;
            entry.Handlers.Remove(handler);
            if (entry.Handlers.Count > 0) return;
            _channels.Remove(channel);
            TrySend(_connection, "UNSUBSCRIBE", [channel]);
        }
    }

    private static void TrySend(RedisConnection? connection, string command, IEnumerable<string> channels)
    {
        if (connection is not { IsOpen: true }) return; // the loop subscribes everything when it connects
        var args = new List<byte[]> { Encoding.UTF8.GetBytes(command) };
        args.AddRange(channels.Select(Encoding.UTF8.GetBytes));
        if (args.Count == 1) return;
        try { connection.SendWithoutAnswer([.. args]); }
        catch (RedisConnectionException) { /* broken: the loop reconnects and re-subscribes */ }
    }

    private async Task RunAsync(CancellationToken ct)
    {
        var backoff = TimeSpan.Zero;
        var everConnected = false;
        while (!ct.IsCancellationRequested)
        {
            RedisConnection connection;
            try
            {
                connection = await RedisConnection.OpenAsync(settings, OnPush, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                backoff = backoff == TimeSpan.Zero ? settings.MinReconnectDelay : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, settings.MaxReconnectDelay.Ticks));
                logger.LogWarning("Redis subscriber at {Endpoint} unreachable, next attempt in {Delay} ms: {Error}", settings.Endpoint, backoff.TotalMilliseconds, ex.Message);
                try { await Task.Delay(backoff, ct); } catch (OperationCanceledException) { return; }
                continue;
            }
            backoff = TimeSpan.Zero;
            lock (_gate)
            {
                _connection = connection;
                TrySend(connection, "SUBSCRIBE", _channels.Keys.ToList());
            }
            if (everConnected)
            {
                logger.LogInformation("Redis subscriber reconnected to {Endpoint}", settings.Endpoint);
                try { Reconnected?.Invoke(); }
                catch (Exception ex) { logger.LogWarning(ex, "A Reconnected handler failed"); }
            }
            everConnected = true;
            try { await connection.Closed.WaitAsync(ct); }
            catch (OperationCanceledException) { await connection.DisposeAsync(); return; }
            lock (_gate)
            {
                _connection = null;
                // Until re-subscribed, new subscribers wait for the fresh confirmation.
                foreach (var entry in _channels.Values)
                    if (entry.Confirmed.Task.IsCompleted) entry.Confirmed = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    private void OnPush(RespValue value)
    {
        if (value.Kind != RespKind.Array || value.Items!.Count < 3) return;
        var kind = value.Items[0].AsString();
        var channel = value.Items[1].AsString() ?? "";
        if (kind == "message")
        {
            Action<string, byte[]>[] handlers;
            lock (_gate)
            {
                if (!_channels.TryGetValue(channel, out var entry)) return;
                handlers = [.. entry.Handlers];
            }
            var payload = value.Items[2].Bytes ?? [];
            foreach (var handler in handlers)
            {
                try { handler(channel, payload); }
                catch (Exception ex) { logger.LogWarning(ex, "A handler of Redis channel {Channel} failed", channel); }
            }
        }
        else if (kind == "subscribe")
        {
            lock (_gate)
            {
                if (_channels.TryGetValue(channel, out var entry)) entry.Confirmed.TrySetResult();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_stop.IsCancellationRequested) return;
            _stop.Cancel();
        }
        if (_loop is not null) await _loop;
        var connection = _connection;
        if (connection is not null) await connection.DisposeAsync();
    }

    private sealed class Subscription(RedisSubscriber owner, string channel, Action<string, byte[]> handler) : IAsyncDisposable
    {
        private int _disposed;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) owner.Unsubscribe(channel, handler);
            return ValueTask.CompletedTask;
        }
    }
}
