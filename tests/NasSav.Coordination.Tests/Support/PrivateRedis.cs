using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using NasSav.ServiceDefaults.Configuration;
using NasSav.ServiceDefaults.Redis;
using StackExchange.Redis;
using NasSav.Testing;

namespace NasSav.Coordination.Tests.Support;

/// <summary>
/// A redis-server of this test's own on a free port (the shared one must not be stopped or reconfigured):
/// for restarts, passwords, outages and pauses. Killed on dispose.
/// </summary>
public sealed class PrivateRedis : IAsyncDisposable
{
    private readonly string? _password;
    private Process? _process;

    public int Port { get; }
    public string Endpoint => $"127.0.0.1:{Port}";

    private PrivateRedis(int port, string? password)
    {
        Port = port;
        _password = password;
    }

    public static async Task<PrivateRedis> StartAsync(string? password = null)
    {
        await LocalServers.RedisAsync(); // installs redis-server when missing
        var redis = new PrivateRedis(FreePort(), password);
        await redis.StartAgainAsync();
        return redis;
    }

    public async Task StartAgainAsync()
    {
        var args = new List<string> { "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no" };
        if (_password is not null) args.AddRange(["--requirepass", _password]);
        var psi = new ProcessStartInfo("redis-server", args) { RedirectStandardOutput = true, RedirectStandardError = true };
        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await Wait.UntilAsync(() => Accepts(Port), TimeSpan.FromSeconds(10), $"redis-server on port {Port}");
    }

    /// <summary>SIGKILL: connections drop without a goodbye, as in a crash or a restart.</summary>
    public async Task KillAsync()
    {
        if (_process is null) return;
        _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    /// <summary>SIGSTOP: connections stay open and nothing answers, as in a hung server or a network partition.</summary>
    public void Pause() => Signal("STOP");

    /// <summary>SIGCONT after <see cref="Pause"/>.</summary>
    public void Resume() => Signal("CONT");

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process!.Id.ToString()]);
        kill.WaitForExit();
        if (kill.ExitCode != 0) throw new InvalidOperationException($"kill -{signal} {_process.Id} failed");
    }

    public ValueTask DisposeAsync() => new(KillAsync());

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool Accepts(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>A connection to <paramref name="endpoint"/> as a service makes it (<see cref="RedisConnections"/>), with short timeouts.</summary>
    public static ConnectionMultiplexer Connect(string endpoint, string? password = null, string? clientName = null, TimeSpan? commandTimeout = null) =>
        RedisConnections.Connect(new RedisOptions
        {
            Endpoint = endpoint,
            Password = password,
            ClientName = clientName,
            CommandTimeout = commandTimeout ?? TimeSpan.FromSeconds(2),
            ConnectTimeout = TimeSpan.FromSeconds(2),
        });

    /// <summary>An administrator's connection (CLIENT LIST / KILL need allowAdmin).</summary>
    public static ConnectionMultiplexer Admin(string endpoint) =>
        ConnectionMultiplexer.Connect(new ConfigurationOptions { EndPoints = { endpoint }, AllowAdmin = true });
}
