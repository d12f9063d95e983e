using System.Globalization;
using NasSav.Testing;

namespace NasSav.SystemTests.Faults;

/// <summary>
/// The whole distributed set on servers of its own (<see cref="PrivateServers"/>), so that the fault tests may
/// restart them: the demo site with <see cref="DemoCount"/> AVIDs and slow segments, two catalogs, a scraper, two
/// downloaders sharing one data folder and a gateway in front of both catalogs, every one a separate process
/// configured as deploy/local/run-distributed.sh configures it.
/// </summary>
public sealed class FaultSet : IAsyncLifetime
{
    /// <summary>DEMO-001 … DEMO-412: four batches of 100 and the download AVIDs above them.</summary>
    public const int DemoCount = 412;
    /// <summary>The demo stream: 24 segments of 2 s (one encoded clip, cached by the demo site).</summary>
    public const int ClipSeconds = 48;
    /// <summary>Segments in the demo stream.</summary>
    public const int Segments = ClipSeconds / 2;

    private readonly List<HostProcess> _hosts = [];
    private readonly Dictionary<string, (string Dll, int Port, Dictionary<string, string?> Settings)> _recipes = [];
    private int _disposed;

    public PrivateServers Servers { get; private set; } = null!;
    public string DataRoot { get; private set; } = "";
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(150) };
    /// <summary>For /health/ready: a host that hangs must not hold a wait for longer than its own timeout.</summary>
    private readonly HttpClient _health = new() { Timeout = TimeSpan.FromSeconds(5) };

    public HostProcess DemoSite => Host("demo-site");
    public HostProcess Gateway => Host("gateway");
    public IReadOnlyList<HostProcess> Catalogs => _hosts.Where(h => h.Name.StartsWith("catalog-", StringComparison.Ordinal)).ToList();
    public IReadOnlyList<HostProcess> Downloaders => _hosts.Where(h => h.Name.StartsWith("downloader-", StringComparison.Ordinal)).ToList();
    /// <summary>Every NasSav host (not the demo site).</summary>
    public IReadOnlyList<HostProcess> Services => _hosts.Where(h => h.Name != "demo-site").ToList();

    public HostProcess Host(string name) => _hosts.Single(h => h.Name == name);

    public Uri Api(string path) => new(Gateway.BaseUri, "nassav/api/" + path);
    public string Video(string avid) => Path.Combine(DataRoot, "resource", "video", avid + ".mp4");
    public string Staging(string avid) => Path.Combine(DataRoot, "resource", ".staging", avid);

    public async Task InitializeAsync()
    {
        try
        {
            var serversTask = PrivateServers.StartAsync();
            DataRoot = Directory.CreateTempSubdirectory("nassav-faults-").FullName;
            var demoPort = HostProcess.FreePort();
            _hosts.Add(DemoSiteHost.Start(demoPort, new Dictionary<string, string?>
            {
                ["Demo:Count"] = DemoCount.ToString(CultureInfo.InvariantCulture),
                ["Demo:ClipSeconds"] = ClipSeconds.ToString(CultureInfo.InvariantCulture),
                ["Demo:SegmentDelayMs"] = "0", // held and let go by SetSegmentDelayAsync
            }));
            Servers = await serversTask;
            await DemoSite.WaitReadyAsync(Http, DistributedSet.ReadyTimeout, "health");

            var common = new Dictionary<string, string?>(DemoSiteHost.ClientSettings(demoPort))
            {
                ["Data:Root"] = DataRoot, // one shared media folder, as a shared volume
                ["Bus:Transport"] = "RabbitMq",
                ["Bus:RabbitMqUri"] = Servers.AmqpUri,
                ["Database:Provider"] = "Postgres",
                ["Database:ConnectionString"] = Servers.PostgresConnectionString,
                ["Redis:Endpoint"] = Servers.RedisEndpoint,
            };
            // Steps time out after 60 s instead of 120 and the watchdog looks every 10 s instead of 60: what a fault
            // left stuck is found and resumed within the tests' patience (docs/operations.md, "What survives what").
            var catalog = new Dictionary<string, string?>(common)
            {
                ["Lifecycle:SourceTimeoutSeconds"] = "60",
                ["Lifecycle:MetadataTimeoutSeconds"] = "60",
                ["Lifecycle:Watchdog:IntervalSeconds"] = "10",
                ["Lifecycle:Watchdog:GraceSeconds"] = "10",
                ["Lifecycle:Watchdog:RetryAfterSeconds"] = "30",
            };
            // The first catalog applies the migrations; the others start once the schema exists.
            var first = Start("catalog-1", "services/catalog/NasSav.Catalog.Host", HostProcess.FreePort(), catalog);
            await first.WaitReadyAsync(Http, DistributedSet.ReadyTimeout);
            var second = Start("catalog-2", "services/catalog/NasSav.Catalog.Host", HostProcess.FreePort(), catalog);
            Start("scraper-1", "services/scraper/NasSav.Scraper.Host", HostProcess.FreePort(), common);
            // The first downloader applies its migrations (fencing epochs) before the second starts.
            var downloader = new Dictionary<string, string?>(common)
            {
                ["Locking:LeaseTtl"] = "00:00:05",
                ["Downloader:ProgressIntervalSeconds"] = "0.5",
                ["Downloader:Engine:Parallelism"] = "1",
            };
            var dl1 = Start("downloader-1", "services/downloader/NasSav.Downloader.Host", HostProcess.FreePort(),
                new Dictionary<string, string?>(downloader) { ["Downloader:InstanceName"] = "downloader-1" });
            await dl1.WaitReadyAsync(Http, DistributedSet.ReadyTimeout);
            Start("downloader-2", "services/downloader/NasSav.Downloader.Host", HostProcess.FreePort(),
                new Dictionary<string, string?>(downloader) { ["Downloader:InstanceName"] = "downloader-2" });
            Start("gateway", "gateway/NasSav.Gateway.Host", HostProcess.FreePort(), new Dictionary<string, string?>(common)
            {
                ["Gateway:Routes:0:PathPrefix"] = "/nassav/api",
                ["Gateway:Routes:0:Destinations:0"] = first.BaseUri.ToString().TrimEnd('/'),
                ["Gateway:Routes:0:Destinations:1"] = second.BaseUri.ToString().TrimEnd('/'),
                ["Gateway:RateLimit:PermitsPerMinute"] = "0",
                ["Gateway:HealthCheck:Interval"] = "1",
            });
            await WaitServicesReadyAsync(DistributedSet.ReadyTimeout);
        }
        catch (Exception ex)
        {
            var logs = Logs();
            await DisposeAsync();
            throw new InvalidOperationException($"the fault set did not start: {ex.Message}\n{logs}", ex);
        }
    }

    private HostProcess Start(string name, string project, int port, Dictionary<string, string?> settings)
    {
        var dll = HostProcess.BuiltDll(project);
        _recipes[name] = (dll, port, settings);
        var host = HostProcess.Start(name, dll, port, settings);
        _hosts.Add(host);
        return host;
    }

    /// <summary>
    /// The demo site's latency per segment from now on (downloaders fetch one segment at a time): slow holds a download
    /// open until a fault has landed in it, fast lets it finish.
    /// </summary>
    public async Task SetSegmentDelayAsync(int ms)
    {
        using var response = await Http.PostAsync(new Uri(DemoSite.BaseUri, $"control/segment-delay?ms={ms}"), null);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>SIGKILL, as a crash or the OOM killer; the host is gone when this returns.</summary>
    public Task KillAsync(HostProcess host) => host.KillAsync();

    /// <summary>Starts a killed host again on its port with its settings, as a supervisor (compose, systemd) would.</summary>
    public HostProcess Restart(HostProcess killed)
    {
        if (!killed.HasExited) throw new InvalidOperationException($"{killed.Name} still runs");
        var (dll, port, settings) = _recipes[killed.Name];
        var host = HostProcess.Start(killed.Name, dll, port, settings);
        _hosts[_hosts.IndexOf(killed)] = host;
        _ = killed.DisposeAsync().AsTask();
        return host;
    }

    /// <summary>Until every NasSav host answers /health/ready Healthy (database, bus and Redis reachable).</summary>
    public async Task WaitServicesReadyAsync(TimeSpan timeout)
    {
        if (await NotReadyAsync(Services, timeout) is { Count: > 0 } problems) throw new TimeoutException(string.Join("\n", problems));
    }

    /// <summary>What the hosts that did not become ready within <paramref name="timeout"/> last answered (empty when all did).</summary>
    public async Task<IReadOnlyList<string>> NotReadyAsync(IEnumerable<HostProcess> hosts, TimeSpan timeout)
    {
        var waits = hosts.Select(async h =>
        {
            try
            {
                await h.WaitReadyAsync(_health, timeout);
                return null;
            }
            catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
            {
                return ex.Message;
            }
        });
        return [.. (await Task.WhenAll(waits)).OfType<string>()];
    }

    /// <summary>
    /// Services still not ready (an earlier fault left them broken) are killed and started again, as an orchestrator
    /// restarts an unhealthy container, so that one test's defect does not hide the next one's; returns what was done.
    /// </summary>
    public async Task<IReadOnlyList<string>> RestartBrokenAsync(TimeSpan grace)
    {
        var services = Services;
        var checks = await Task.WhenAll(services.Select(h => NotReadyAsync([h], grace)));
        var broken = services.Where((_, i) => checks[i].Count > 0).ToList();
        foreach (var host in broken)
        {
            await host.KillAsync();
            Restart(host);
        }
        if (broken.Count > 0) await WaitServicesReadyAsync(DistributedSet.ReadyTimeout);
        return [.. broken.Select(h => $"{h.Name} was not ready {grace.TotalSeconds:0} s after the previous test and was restarted")];
    }

    /// <summary>Runs a test body; on failure the message carries the hosts' logs.</summary>
    public Task CheckAsync(Func<Task> body) => SystemTestFailure.WithLogsAsync(body, () => Logs());

    public string Logs(int lines = 60) => string.Join("\n", _hosts.Select(h => h.Tail(lines)));

    public async Task DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        foreach (var host in Enumerable.Reverse(_hosts)) await host.DisposeAsync();
        if (Servers is not null) await Servers.DisposeAsync();
        if (DataRoot.Length > 0)
        {
            try { Directory.Delete(DataRoot, recursive: true); } catch (IOException) { }
        }
        Http.Dispose();
        _health.Dispose();
    }
}
