using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace NasSav.Testing;

/// <summary>
/// A TCP relay in front of a real server (RabbitMQ, PostgreSQL): the process under test connects to
/// <see cref="Port"/>. <see cref="Cut"/> drops every connection and refuses new ones, as a server that went down;
/// <see cref="Restore"/> accepts again on the same port. The server itself, shared with other tests, is untouched.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly ConcurrentDictionary<TcpClient, byte> _connections = new();
    private readonly object _gate = new();
    private TcpListener? _listener;
    private CancellationTokenSource? _accepting;

    private TcpProxy(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
    }

    public int Port { get; private set; }

    /// <summary>Connections accepted since start.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    private int _accepted;

    public static TcpProxy Start(string targetHost, int targetPort)
    {
        var proxy = new TcpProxy(targetHost, targetPort);
        proxy.Listen(0);
        return proxy;
    }

    /// <summary>The server "goes down": open connections are reset, new ones refused.</summary>
    public void Cut()
    {
        lock (_gate)
        {
            _accepting?.Cancel();
            _listener?.Stop();
            _listener = null;
        }
        foreach (var client in _connections.Keys)
        {
            try
            {
                client.Client?.LingerState = new LingerOption(true, 0);
                client.Close();
            }
            catch (ObjectDisposedException)
            {
            }
            _connections.TryRemove(client, out _);
        }
    }

    /// <summary>The server "is back" on the same port.</summary>
    public void Restore()
    {
        lock (_gate)
        {
            if (_listener is null) Listen(Port);
        }
    }

    private void Listen(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _listener = listener;
        var accepting = _accepting = new CancellationTokenSource();
        _ = AcceptAsync(listener, accepting.Token);
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await listener.AcceptTcpClientAsync(ct);
            }
            catch (Exception) when (ct.IsCancellationRequested || !listener.Server.IsBound)
            {
                return;
            }
            catch (SocketException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            Interlocked.Increment(ref _accepted);
            _ = RelayAsync(inbound);
        }
    }

    private async Task RelayAsync(TcpClient inbound)
    {
        var outbound = new TcpClient();
        _connections[inbound] = 0;
        _connections[outbound] = 0;
        try
        {
            await outbound.ConnectAsync(_targetHost, _targetPort);
            var a = inbound.GetStream();
            var b = outbound.GetStream();
            await Task.WhenAny(a.CopyToAsync(b), b.CopyToAsync(a));
        }
        catch (Exception)
        {
            // A cut, or either side went away.
        }
        finally
        {
            foreach (var client in new[] { inbound, outbound })
            {
                _connections.TryRemove(client, out _);
                client.Dispose();
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        Cut();
        return ValueTask.CompletedTask;
    }
}
