using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using NasSav.Testing;

namespace NasSav.SystemTests.Faults;

/// <summary>A server of <see cref="PrivateServers"/>; the names are deploy/local's script names.</summary>
public enum ServerKind
{
    Postgres,
    Redis,
    RabbitMq,
}

/// <summary>
/// PostgreSQL, Redis and RabbitMQ of the fault tests' own, started through the deploy/local scripts in a run folder
/// and on a port block of their own: the shared NASSAV_TEST_* servers serve every other test assembly at the same
/// time, so restarting one of those would break them. Stopped, and their folder deleted, on dispose; a run killed
/// before that leaves a folder named after its PID, which the next run stops and deletes.
/// </summary>
public sealed class PrivateServers : IAsyncDisposable
{
    private const string FolderPrefix = "faults-";
    private static readonly ServerKind[] All = [ServerKind.Postgres, ServerKind.Redis, ServerKind.RabbitMq];
    private static readonly string[] Names = ["postgres", "redis", "rabbitmq"];
    private readonly Dictionary<string, string?> _environment;
    private int _disposed;

    public string RunDir { get; }
    public string PostgresConnectionString { get; private set; } = "";
    public string RedisEndpoint { get; private set; } = "";
    public string AmqpUri { get; private set; } = "";
    /// <summary>The broker's management API, http://user:pass@127.0.0.1:port.</summary>
    public string RabbitMqManagement { get; private set; } = "";

    private PrivateServers(string runDir, int basePort)
    {
        RunDir = runDir;
        // RabbitMQ takes 14 ports from its own (AMQP, management, distribution, epmd, CLI tools), then one each.
        _environment = new Dictionary<string, string?>
        {
            ["NASSAV_RUN_DIR"] = runDir,
            ["NASSAV_RABBITMQ_PORT"] = Port(basePort),
            ["NASSAV_PG_PORT"] = Port(basePort + 14),
            ["NASSAV_REDIS_PORT"] = Port(basePort + 15),
            // Anything that would move the private broker onto other ports or another node.
            ["NASSAV_RABBITMQ_MGMT_PORT"] = null,
            ["NASSAV_RABBITMQ_DIST_PORT"] = null,
            ["NASSAV_RABBITMQ_EPMD_PORT"] = null,
            ["NASSAV_RABBITMQ_NODE"] = null,
        };
    }

    private static string Port(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Script(ServerKind kind) => kind switch
    {
        ServerKind.Postgres => "postgres.sh",
        ServerKind.Redis => "redis.sh",
        _ => "rabbitmq.sh",
    };

    public static async Task<PrivateServers> StartAsync()
    {
        await StopLeftoversAsync();
        var runDir = Directory.CreateDirectory(Path.Combine(HostProcess.RunDir, $"{FolderPrefix}{Environment.ProcessId}")).FullName;
        var servers = new PrivateServers(runDir, FreePortBlock(16));
        try
        {
            // The slow one (RabbitMQ, 5-10 s) alongside the others.
            await Task.WhenAll(All.Select(servers.StartAsync));
            var env = await LocalServers.RunScriptAsync("servers.sh", ["env", .. Names], servers._environment);
            string Line(string name) => env.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(name + "=", StringComparison.Ordinal))?[(name.Length + 1)..]
                                        ?? throw new InvalidOperationException($"servers.sh env printed no {name}: {env}");
            servers.PostgresConnectionString = Line("NASSAV_TEST_POSTGRES");
            servers.RedisEndpoint = Line("NASSAV_TEST_REDIS");
            servers.AmqpUri = Line("NASSAV_TEST_RABBITMQ");
            servers.RabbitMqManagement = Line("NASSAV_TEST_RABBITMQ_MANAGEMENT");
            return servers;
        }
        catch
        {
            await servers.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts one server (waits until it accepts connections); returns how long that took.</summary>
    public async Task<TimeSpan> StartAsync(ServerKind kind)
    {
        var sw = Stopwatch.StartNew();
        await LocalServers.RunScriptAsync(Script(kind), ["start"], _environment);
        return sw.Elapsed;
    }

    /// <summary>Stops one server cleanly (as an operator or an orchestrator does), and waits until its process is gone.</summary>
    public async Task<TimeSpan> StopAsync(ServerKind kind)
    {
        var sw = Stopwatch.StartNew();
        await LocalServers.RunScriptAsync(Script(kind), ["stop"], _environment);
        return sw.Elapsed;
    }

    /// <summary>The first of 16 consecutive ports, below the ephemeral range (where the hosts' free ports come from), all free.</summary>
    private static int FreePortBlock(int count)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var start = Random.Shared.Next(200, 320) * 100 + Random.Shared.Next(0, 80);
            if (Enumerable.Range(start, count).All(IsFree)) return start;
        }
        throw new InvalidOperationException($"no {count} consecutive free ports between 20000 and 32080");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Servers of earlier runs whose test process is gone (killed, crashed): stopped by their PID files, then deleted.</summary>
    private static async Task StopLeftoversAsync()
    {
        if (!Directory.Exists(HostProcess.RunDir)) return;
        foreach (var dir in Directory.GetDirectories(HostProcess.RunDir, FolderPrefix + "*"))
        {
            if (!int.TryParse(Path.GetFileName(dir)[FolderPrefix.Length..], out var owner)
                || owner == Environment.ProcessId || HostProcess.IsRunning(owner)) continue;
            try
            {
                await LocalServers.RunScriptAsync("servers.sh", ["stop", .. Names], new Dictionary<string, string?> { ["NASSAV_RUN_DIR"] = dir });
                DeleteRunDir(dir);
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    /// <summary>The run folder and, when the postgres user could not enter it, the cluster it links to under /tmp.</summary>
    private static void DeleteRunDir(string dir)
    {
        var postgres = new DirectoryInfo(Path.Combine(dir, "postgres"));
        if (postgres.LinkTarget is { } target) Directory.Delete(Path.GetFullPath(target, dir), recursive: true);
        Directory.Delete(dir, recursive: true);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        try
        {
            await LocalServers.RunScriptAsync("servers.sh", ["stop", .. Names], _environment);
            DeleteRunDir(RunDir);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            // Left for the next run's StopLeftoversAsync, which sees this PID gone.
        }
    }
}
