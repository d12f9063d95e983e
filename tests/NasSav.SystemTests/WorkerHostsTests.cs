using System.Text.Json;
using NasSav.Contracts.Downloads;
using NasSav.SystemTests.Broker;
using NasSav.Testing;

namespace NasSav.SystemTests;

/// <summary>
/// Every service host and the gateway, each its own process, start on a broker whose exchanges, queues and
/// bindings the previous MassTransit (8.4.0) declared, as after an upgrade in place: each joins the broker and
/// reports ready (its readiness includes the bus and its receive endpoints), so no redeclaration was refused.
/// </summary>
[Collection(DistributedCollection.Name)]
public sealed class WorkerHostsTests : IAsyncLifetime
{
    private static readonly string[] Hosts =
    [
        "services/catalog/NasSav.Catalog.Host",
        "gateway/NasSav.Gateway.Host",
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
        (await EarlierTopology.DeclareAsync(_vhost.AmqpUri)).Dispose();
        _dataRoot = Directory.CreateTempSubdirectory("nassav-workers-").FullName;
        foreach (var project in Hosts)
        {
            var name = Path.GetFileName(project);
            _processes.Add(HostProcess.Start(name, HostProcess.BuiltDll(project), HostProcess.FreePort(),
                new Dictionary<string, string?>
                {
                    // Each its own folder: the catalog and the maintenance service each have a SQLite database.
                    ["Data:Root"] = Path.Combine(_dataRoot, name),
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
    public Task Each_host_starts_on_a_broker_declared_by_masstransit_8_4_and_reports_ready() => SystemTestFailure.WithLogsAsync(async () =>
    {
        await Task.WhenAll(_processes.Select(p => p.WaitReadyAsync(_http, DistributedSet.ReadyTimeout)));
        foreach (var p in _processes)
        {
            using var doc = JsonDocument.Parse(await _http.GetStringAsync(new Uri(p.BaseUri, "health/ready")));
            Assert.Equal("Healthy", doc.RootElement.GetProperty("checks").GetProperty("masstransit-bus").GetProperty("status").GetString());
        }

        // The downloader's queue kept its arguments (a single active consumer across instances) and the downloader consumes it.
        using var queue = await _vhost.QueueAsync(DownloadVideo.QueueName);
        if (queue is null) return; // a broker without the management API
        Assert.True(queue.RootElement.GetProperty("arguments").GetProperty("x-single-active-consumer").GetBoolean());
        Assert.True(queue.RootElement.GetProperty("durable").GetBoolean());
        await Wait.UntilAsync(async () =>
        {
            using var q = await _vhost.QueueAsync(DownloadVideo.QueueName);
            return q!.RootElement.TryGetProperty("consumers", out var n) && n.GetInt32() == 1;
        }, TimeSpan.FromSeconds(30), "the downloader to consume download-video");
    }, () => string.Join('\n', _processes.Select(p => p.Tail(60))));
}
