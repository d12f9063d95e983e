using System.Text.Json;
using NasSav.Testing;

namespace NasSav.SystemTests;

/// <summary>
/// Services whose work arrives with later issues already run as their own processes: each starts,
/// joins the broker and reports ready (its readiness includes the bus connection).
/// </summary>
[Collection(DistributedCollection.Name)]
public sealed class WorkerHostsTests : IAsyncLifetime
{
    private static readonly string[] Hosts =
    [
        "services/scraper/NasSav.Scraper.Host",
        "services/translator/NasSav.Translator.Host",
        "services/downloader/NasSav.Downloader.Host",
        "services/maintenance/NasSav.Maintenance.Host",
    ];

    private readonly List<HostProcess> _processes = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private RabbitVhost _vhost = null!;
    private string _dataRoot = "";

    public async Task InitializeAsync()
    {
        _vhost = await RabbitVhost.CreateAsync();
        _dataRoot = Directory.CreateTempSubdirectory("nassav-workers-").FullName;
        foreach (var project in Hosts)
        {
            _processes.Add(HostProcess.Start(Path.GetFileName(project), HostProcess.BuiltDll(project), HostProcess.FreePort(),
                new Dictionary<string, string?>
                {
                    ["Data:Root"] = _dataRoot,
                    ["Bus:Transport"] = "RabbitMq",
                    ["Bus:RabbitMqUri"] = _vhost.AmqpUri,
                }));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var p in _processes) await p.DisposeAsync();
        await _vhost.DisposeAsync();
        _http.Dispose();
        try { Directory.Delete(_dataRoot, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public Task Each_service_host_starts_joins_the_broker_and_reports_ready() => SystemTestFailure.WithLogsAsync(async () =>
    {
        await Task.WhenAll(_processes.Select(p => p.WaitReadyAsync(_http, DistributedSet.ReadyTimeout)));
        foreach (var p in _processes)
        {
            using var doc = JsonDocument.Parse(await _http.GetStringAsync(new Uri(p.BaseUri, "health/ready")));
            Assert.Equal("Healthy", doc.RootElement.GetProperty("checks").GetProperty("masstransit-bus").GetProperty("status").GetString());
        }
    }, () => string.Join('\n', _processes.Select(p => p.Tail(60))));
}
