using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace NasSav.ServiceDefaults.Redis;

/// <summary>
/// Our RESP2 client (no .NET Redis package restores here): one multiplexed, pipelined connection for
/// commands, and a separate one for pub/sub (<see cref="SubscribeAsync"/>). A broken connection fails its
/// pending commands with <see cref="RedisConnectionException"/>; the next command reconnects, at most once
/// per backoff delay (100 ms doubling to 5 s while the server stays unreachable). Thread-safe; one per process.
/// </summary>
public sealed partial class RedisClient : IAsyncDisposable
{
    private readonly ILogger _logger;
    private readonly object _sync = new();
    private Task<RedisConnection>? _connecting;
    private readonly RedisSubscriber _subscriber;
    private RedisConnection? _connection;
    private TimeSpan _backoff;
    private long _nextAttempt; // Stopwatch timestamp before which no new connection is tried
    private Exception? _lastError;
    private bool _disposed;

    public RedisClient(RedisClientSettings settings, ILogger<RedisClient>? logger = null)
    {
        Settings = settings;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _subscriber = new RedisSubscriber(settings, _logger);
    }

    public RedisClientSettings Settings { get; }
    public string Endpoint => Settings.Endpoint;

    /// <summary>Sends one command and waits (up to the command timeout) for its answer; a RESP error throws.</summary>
    public async Task<RespValue> ExecuteAsync(string command, IReadOnlyList<object> args, CancellationToken ct = default)
    {
        var answer = await ExecuteRawAsync(command, args, ct).ConfigureAwait(false);
        if (answer.Kind == RespKind.Error) throw new RedisServerException(Endpoint, command, answer.Text!);
        return answer;
    }

    public Task<RespValue> ExecuteAsync(string command, params object[] args) => ExecuteAsync(command, args, CancellationToken.None);

    /// <summary>Like <see cref="ExecuteAsync(string, IReadOnlyList{object}, CancellationToken)"/> but returns RESP errors as values.</summary>
    public async Task<RespValue> ExecuteRawAsync(string command, IReadOnlyList<object> args, CancellationToken ct = default)
    {
        var started = Stopwatch.GetTimestamp();
        var parts = new byte[args.Count + 1][];
        parts[0] = RespWriter.ToBytes(command);
        for (var i = 0; i < args.Count; i++) parts[i + 1] = RespWriter.ToBytes(args[i]);
        var connection = await GetConnectionAsync(command, started, ct).ConfigureAwait(false);
        var remaining = Settings.CommandTimeout - Stopwatch.GetElapsedTime(started);
        try
        {
            return await connection.SendAsync(parts).WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new RedisTimeoutException(Endpoint, command, Settings.CommandTimeout);
        }
    }

    private async ValueTask<RedisConnection> GetConnectionAsync(string command, long started, CancellationToken ct)
    {
        var current = Volatile.Read(ref _connection);
        if (current is { IsOpen: true }) return current;
        Task<RedisConnection> connecting;
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            current = _connection;
            if (current is { IsOpen: true }) return current;
            if (_connecting is null)
            {
                if (Stopwatch.GetTimestamp() < _nextAttempt)
                {
                    // Fail fast while backing off: callers (lease renewals, waiters) have their own retry rhythm.
                    var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), _nextAttempt);
                    throw new RedisConnectionException(Endpoint,
                        $"not connected (last attempt failed: {_lastError?.Message}; next attempt in {wait.TotalMilliseconds:0} ms)", _lastError);
                }
                _connecting = ConnectAsync();
            }
            connecting = _connecting;
        }
        // Every caller waiting meanwhile shares the one attempt (bounded by the connect timeout).
        var remaining = Settings.CommandTimeout - Stopwatch.GetElapsedTime(started);
        try
        {
            return await connecting.WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new RedisTimeoutException(Endpoint, command, Settings.CommandTimeout);
        }
    }

    private async Task<RedisConnection> ConnectAsync()
    {
        await Task.Yield(); // leave the lock before connecting
        try
        {
            var connection = await RedisConnection.OpenAsync(Settings, push: null, CancellationToken.None).ConfigureAwait(false);
            lock (_sync)
            {
                if (_connection is not null) _logger.LogInformation("Reconnected to Redis at {Endpoint}", Endpoint);
                _backoff = TimeSpan.Zero;
                _lastError = null;
                Volatile.Write(ref _connection, connection);
                _connecting = null;
            }
            return connection;
        }
        catch (Exception ex)
        {
            lock (_sync)
            {
                _lastError = ex;
                _backoff = _backoff == TimeSpan.Zero ? Settings.MinReconnectDelay : TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, Settings.MaxReconnectDelay.Ticks));
                _nextAttempt = Stopwatch.GetTimestamp() + (long)(_backoff.TotalSeconds * Stopwatch.Frequency);
                _connecting = null;
            }
            _logger.LogWarning("Redis at {Endpoint} unreachable, next attempt in {Delay} ms: {Error}", Endpoint, _backoff.TotalMilliseconds, ex.Message);
            throw;
        }
    }

    /// <summary>
    /// Calls <paramref name="handler"/> for every message on <paramref name="channel"/> (on the subscriber
    /// connection, re-subscribed after a reconnect) until the returned handle is disposed. Completes once the
    /// server confirmed the subscription. Handlers run on the reader loop: keep them short.
    /// </summary>
    public Task<IAsyncDisposable> SubscribeAsync(string channel, Action<string, byte[]> handler, CancellationToken ct = default) =>
        _subscriber.SubscribeAsync(channel, handler, ct);

    /// <summary>Raised after the subscriber connection came back (messages published meanwhile are lost).</summary>
    public event Action? SubscriberReconnected
    {
        add => _subscriber.Reconnected += value;
        remove => _subscriber.Reconnected -= value;
    }

    public async ValueTask DisposeAsync()
    {
        lock (_sync) _disposed = true;
        await _subscriber.DisposeAsync();
        var connection = Interlocked.Exchange(ref _connection, null);
        if (connection is not null) await connection.DisposeAsync();
    }
}
