using System.Buffers;
using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Threading.Channels;

namespace NasSav.ServiceDefaults.Redis;

/// <summary>
/// One TCP connection. Callers' commands go through a channel to a single writer loop, which records each
/// command's pending answer in a FIFO queue before writing it; the single reader loop completes them in that
/// order (Redis answers in order). Several queued commands are written in one batch (pipelining). When
/// <c>push</c> is given (the subscriber connection), every answer goes to it instead.
/// </summary>
internal sealed class RedisConnection : IAsyncDisposable
{
    private readonly RedisClientSettings _settings;
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly Action<RespValue>? _push;
    private readonly Channel<Outgoing> _outgoing = Channel.CreateUnbounded<Outgoing>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentQueue<TaskCompletionSource<RespValue>> _pending = new();
    private readonly TaskCompletionSource<Exception> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private int _failed;

    private sealed record Outgoing(byte[][] Args, TaskCompletionSource<RespValue>? Answer);

    private RedisConnection(RedisClientSettings settings, TcpClient tcp, Action<RespValue>? push)
    {
        _settings = settings;
        _tcp = tcp;
        _stream = tcp.GetStream();
        _push = push;
    }

    /// <summary>Completes (with the reason) when the connection is broken or disposed.</summary>
    public Task<Exception> Closed => _closed.Task;
    public bool IsOpen => Volatile.Read(ref _failed) == 0;

    public static async Task<RedisConnection> OpenAsync(RedisClientSettings settings, Action<RespValue>? push, CancellationToken ct)
    {
        var (host, port) = settings.HostAndPort;
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(settings.ConnectTimeout);
            try
            {
                if (System.Net.IPAddress.TryParse(host, out var ip)) await tcp.ConnectAsync(ip, port, timeout.Token).ConfigureAwait(false);
                else await tcp.ConnectAsync(host, port, timeout.Token).ConfigureAwait(false);
                var reader = new RespReader(tcp.GetStream());
                // Handshake before the loops start: AUTH's answer decides whether this connection is usable at all.
                if (!string.IsNullOrEmpty(settings.Password))
                {
                    var answer = await HandshakeAsync(tcp, reader, ["AUTH", settings.Password], timeout.Token).ConfigureAwait(false);
                    if (answer.Kind == RespKind.Error) throw new RedisAuthenticationException(settings.Endpoint, answer.Text!);
                }
                if (!string.IsNullOrEmpty(settings.ClientName))
                    await HandshakeAsync(tcp, reader, ["CLIENT", "SETNAME", settings.ClientName], timeout.Token).ConfigureAwait(false); // optional: an error is ignored
                var connection = new RedisConnection(settings, tcp, push);
                connection.Start(reader);
                return connection;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new RedisConnectionException(settings.Endpoint, $"could not connect within {settings.ConnectTimeout.TotalMilliseconds:0} ms");
            }
        }
        catch (Exception ex) when (ex is not RedisException && ex is not OperationCanceledException)
        {
            tcp.Dispose();
            throw new RedisConnectionException(settings.Endpoint, $"could not connect: {ex.Message}", ex);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    private static async Task<RespValue> HandshakeAsync(TcpClient tcp, RespReader reader, string[] command, CancellationToken ct)
    {
        var buffer = new ArrayBufferWriter<byte>();
        RespWriter.WriteCommand(buffer, command.Select(RespWriter.ToBytes).ToArray());
        await tcp.GetStream().WriteAsync(buffer.WrittenMemory, ct).ConfigureAwait(false);
        return await reader.ReadAsync(ct).ConfigureAwait(false);
    }

    private void Start(RespReader reader)
    {
        _ = Task.Run(() => WriteLoopAsync(_stop.Token));
        _ = Task.Run(() => ReadLoopAsync(reader, _stop.Token));
    }

    /// <summary>Queues a command; the task completes with its answer (errors included, as RESP errors).</summary>
    public Task<RespValue> SendAsync(byte[][] args)
    {
        var answer = new TaskCompletionSource<RespValue>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_outgoing.Writer.TryWrite(new Outgoing(args, answer))) answer.TrySetException(BrokenException());
        return answer.Task;
    }

    /// <summary>Queues a command whose answers arrive as pushes (SUBSCRIBE, UNSUBSCRIBE).</summary>
    public void SendWithoutAnswer(byte[][] args)
    {
        if (!_outgoing.Writer.TryWrite(new Outgoing(args, null))) throw BrokenException();
    }

    private async Task WriteLoopAsync(CancellationToken ct)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        try
        {
            while (await _outgoing.Reader.WaitToReadAsync(ct))
            {
                buffer.ResetWrittenCount();
                while (buffer.WrittenCount < 256 * 1024 && _outgoing.Reader.TryRead(out var item))
                {
                    if (item.Answer is not null) _pending.Enqueue(item.Answer);
                    RespWriter.WriteCommand(buffer, item.Args);
                }
                await _stream.WriteAsync(buffer.WrittenMemory, ct);
            }
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
    }

    private async Task ReadLoopAsync(RespReader reader, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                var value = await reader.ReadAsync(ct);
                if (_push is not null)
                {
                    _push(value);
                }
                else if (_pending.TryDequeue(out var answer))
                {
                    answer.TrySetResult(value);
                }
                else
                {
                    throw new InvalidDataException($"an answer arrived with no command waiting for it: {value}");
                }
            }
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
    }

    private RedisConnectionException BrokenException(Exception? reason = null)
    {
        reason ??= _closed.Task.IsCompleted ? _closed.Task.Result : null;
        var text = reason switch
        {
            null or OperationCanceledException => "the connection is closed",
            EndOfStreamException => "the connection was closed by the server",
            _ => $"the connection broke: {reason.Message}",
        };
        return new RedisConnectionException(_settings.Endpoint, text, reason);
    }

    /// <summary>Marks the connection broken once: every queued and pending command fails with the reason.</summary>
    private void Fail(Exception reason)
    {
        if (Interlocked.Exchange(ref _failed, 1) == 1) return;
        _closed.TrySetResult(reason);
        _outgoing.Writer.TryComplete();
        _stop.Cancel();
        try { _tcp.Dispose(); } catch (Exception) { /* already broken */ }
        var error = BrokenException(reason);
        while (_pending.TryDequeue(out var answer)) answer.TrySetException(error);
        while (_outgoing.Reader.TryRead(out var item)) item.Answer?.TrySetException(error);
    }

    public ValueTask DisposeAsync()
    {
        Fail(new OperationCanceledException("disposed"));
        return ValueTask.CompletedTask;
    }
}
