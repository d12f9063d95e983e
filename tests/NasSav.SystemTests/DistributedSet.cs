using System.Net;
using System.Text.Json;
using NasSav.Testing;

namespace NasSav.SystemTests;

/// <summary>System tests share the machine's 2 cores and one broker: they run one class at a time.</summary>
[CollectionDefinition(Name)]
public sealed class DistributedCollection
{
    public const string Name = "distributed";
}

/// <summary>
/// The distributed set for one test class: a fresh PostgreSQL database, a fresh RabbitMQ vhost,
/// the test Redis, and the already-built catalog and gateway hosts as separate processes on free
/// ports, both ready (/health/ready Healthy) before the first test.
/// </summary>
public sealed class DistributedSet : IAsyncLifetime
{
    public static readonly TimeSpan ReadyTimeout = HostProcess.ReadyTimeout;
    private PostgresDatabase? _database;
    private RabbitVhost? _vhost;
    private string? _dataRoot;
    private int _disposed;

    public HostProcess Catalog { get; private set; } = null!;
    public HostProcess Gateway { get; private set; } = null!;
    public string RedisEndpoint { get; private set; } = "";
    public string DatabaseConnectionString => _database!.ConnectionString;
    public string AmqpUri => _vhost!.AmqpUri;
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task InitializeAsync()
    {
        try
        {
            var databaseTask = PostgresDatabase.CreateAsync();
            var vhostTask = RabbitVhost.CreateAsync();
            var redisTask = LocalServers.RedisAsync();
            _database = await databaseTask;
            _vhost = await vhostTask;
            RedisEndpoint = await redisTask;
            _dataRoot = Directory.CreateTempSubdirectory("nassav-systest-").FullName;

            var common = new Dictionary<string, string?>
            {
                ["Data:Root"] = _dataRoot,
                ["Bus:Transport"] = "RabbitMq",
                ["Bus:RabbitMqUri"] = _vhost.AmqpUri,
                ["Redis:Endpoint"] = RedisEndpoint,
            };
            var catalogPort = HostProcess.FreePort();
            Catalog = HostProcess.Start("catalog", HostProcess.BuiltDll("services/catalog/NasSav.Catalog.Host"), catalogPort,
                new Dictionary<string, string?>(common)
                {
                    ["Database:Provider"] = "Postgres",
                    ["Database:ConnectionString"] = _database.ConnectionString,
                });
            Gateway = HostProcess.Start("gateway", HostProcess.BuiltDll("gateway/NasSav.Gateway.Host"), HostProcess.FreePort(),
                new Dictionary<string, string?>(common)
                {
                    ["Gateway:Routes:0:PathPrefix"] = "/nassav/api",
                    ["Gateway:Routes:0:Destinations:0"] = $"http://127.0.0.1:{catalogPort}",
                    // Longer than the tests wait for a frame: a queue_status they receive is catalog's
                    // answer, not the gateway's empty stand-in after a request time-out.
                    ["Gateway:WebSocket:QueueStatusTimeout"] = "60",
                });
            await Task.WhenAll(Catalog.WaitReadyAsync(Http, ReadyTimeout), Gateway.WaitReadyAsync(Http, ReadyTimeout));
        }
        catch (Exception ex)
        {
            var logs = Logs();
            await DisposeAsync();
            throw new InvalidOperationException($"the distributed set did not start: {ex.Message}\n{logs}", ex);
        }
    }

    /// <summary>The tail of every host's output, for failure messages.</summary>
    public string Logs()
    {
        var parts = new List<string>();
        foreach (var host in new[] { Catalog, Gateway })
            if (host is not null) parts.Add(host.Tail());
        return string.Join("\n", parts);
    }

    /// <summary>Runs a test body; on failure the message carries the hosts' logs.</summary>
    public Task CheckAsync(Func<Task> body) => SystemTestFailure.WithLogsAsync(body, () => Logs());

    public async Task DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        // Children first (even when a test failed), then what they used.
        if (Gateway is not null) await Gateway.DisposeAsync();
        if (Catalog is not null) await Catalog.DisposeAsync();
        if (_vhost is not null) await _vhost.DisposeAsync();
        if (_database is not null)
        {
            try { await _database.DisposeAsync(); } catch (Npgsql.NpgsqlException) { }
        }
        if (_dataRoot is not null)
        {
            try { Directory.Delete(_dataRoot, recursive: true); } catch (IOException) { }
        }
        Http.Dispose();
    }
}

/// <summary>A failed system test, carrying the hosts' logs in its message.</summary>
public sealed class SystemTestFailure(string message, Exception inner) : Exception(message, inner)
{
    /// <summary>Runs a test body; on failure the message carries <paramref name="logs"/>.</summary>
    public static async Task WithLogsAsync(Func<Task> body, Func<string> logs)
    {
        try
        {
            await body();
        }
        catch (Exception ex)
        {
            throw new SystemTestFailure($"{ex.GetType().Name}: {ex.Message}\n{logs()}", ex);
        }
    }
}
