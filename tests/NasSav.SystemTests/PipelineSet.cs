using System.Globalization;
using NasSav.Testing;
using NasSav.Testing.FakeLlm;

namespace NasSav.SystemTests;

/// <summary>
/// The whole add pipeline as separate processes: the offline demo site, two catalog instances (saga
/// on PostgreSQL), two scraper instances, a gateway in front of both catalogs, all on one RabbitMQ vhost;
/// with a <see cref="TranslatorSetup"/>, also translator instances sharing one fake LLM and the test Redis.
/// </summary>
public class PipelineSet : IAsyncLifetime
{
    /// <summary>Translator processes, all on one engine ("fake") whose rate limit they share through Redis.</summary>
    public sealed record TranslatorSetup(int Instances, double RequestsPerMinute, int Burst);

    private readonly TranslatorSetup? _translation;
    private PostgresDatabase? _database;
    private RabbitVhost? _vhost;
    private string? _dataRoot;
    private int _disposed;
    private readonly List<HostProcess> _hosts = [];

    public HostProcess DemoSite { get; private set; } = null!;
    public IReadOnlyList<HostProcess> Catalogs { get; private set; } = [];
    public IReadOnlyList<HostProcess> Scrapers { get; private set; } = [];
    public HostProcess Gateway { get; private set; } = null!;
    public IReadOnlyList<HostProcess> Translators { get; private set; } = [];
    /// <summary>The LLM the translators share (null without translators); each instance sends its name as its API key.</summary>
    public FakeLlmServer? Llm { get; private set; }
    public TranslatorSetup? Translation => _translation;

    public PipelineSet() : this(null) { }

    protected PipelineSet(TranslatorSetup? translation) => _translation = translation;

    public string DatabaseConnectionString => _database!.ConnectionString;
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    public async Task InitializeAsync()
    {
        try
        {
            _database = await PostgresDatabase.CreateAsync();
            _vhost = await RabbitVhost.CreateAsync();
            _dataRoot = Directory.CreateTempSubdirectory("nassav-pipeline-").FullName;

            var demoPort = HostProcess.FreePort();
            DemoSite = Track(HostProcess.Start("demo-site", HostProcess.BuiltDll("tools/NasSav.DemoSite"), demoPort,
                new Dictionary<string, string?>
                {
                    ["Demo:Count"] = "60",
                    ["Demo:ClipSeconds"] = "8",
                    ["Demo:SegmentDelayMs"] = "0",
                    ["Demo:CacheDir"] = Path.Combine(HostProcess.RunDir, "demo-site-cache"),
                }));
            await DemoSite.WaitReadyAsync(Http, DistributedSet.ReadyTimeout, "health");

            var demo = $"127.0.0.1:{demoPort}";
            var common = new Dictionary<string, string?>
            {
                ["NASSAV_CONFIG"] = Path.Combine(RepoPaths.Root, "tools", "NasSav.DemoSite", "demo-config.yaml"),
                ["Sources:0:Domain"] = demo,
                ["Sources:1:Domain"] = demo,
                ["MetadataSites:0:Domain"] = demo,
                ["Scraper:PlaceholderAvatarUrls:1"] = $"http://{demo}/mono/actjpgs/nowprinting.gif",
                ["Data:Root"] = _dataRoot, // one shared media folder, as a shared volume in a real deployment
                ["Bus:Transport"] = "RabbitMq",
                ["Bus:RabbitMqUri"] = _vhost.AmqpUri,
                ["Database:Provider"] = "Postgres",
                ["Database:ConnectionString"] = _database.ConnectionString,
            };
            if (_translation is not null) common["Translator:Enabled"] = "true"; // the catalogs' lifecycle then sends TranslateTitle
            Scrapers = Enumerable.Range(1, 2).Select(i => Track(HostProcess.Start($"scraper-{i}",
                HostProcess.BuiltDll("services/scraper/NasSav.Scraper.Host"), HostProcess.FreePort(), common))).ToList();
            // The first catalog applies the migrations; the second starts once the schema exists.
            var first = Track(HostProcess.Start("catalog-1", HostProcess.BuiltDll("services/catalog/NasSav.Catalog.Host"), HostProcess.FreePort(), common));
            await first.WaitReadyAsync(Http, DistributedSet.ReadyTimeout);
            var second = Track(HostProcess.Start("catalog-2", HostProcess.BuiltDll("services/catalog/NasSav.Catalog.Host"), HostProcess.FreePort(), common));
            Catalogs = [first, second];
            Gateway = Track(HostProcess.Start("gateway", HostProcess.BuiltDll("gateway/NasSav.Gateway.Host"), HostProcess.FreePort(),
                new Dictionary<string, string?>(common)
                {
                    ["Gateway:Routes:0:PathPrefix"] = "/nassav/api",
                    ["Gateway:Routes:0:Destinations:0"] = first.BaseUri.ToString().TrimEnd('/'),
                    ["Gateway:Routes:0:Destinations:1"] = second.BaseUri.ToString().TrimEnd('/'),
                    ["Gateway:RateLimit:PermitsPerMinute"] = "0",
                }));
            if (_translation is not null) await StartTranslatorsAsync(common, _translation);
            await Task.WhenAll(_hosts.Where(h => h != DemoSite && h != first).Select(h => h.WaitReadyAsync(Http, DistributedSet.ReadyTimeout)));
        }
        catch (Exception ex)
        {
            var logs = Logs();
            await DisposeAsync();
            throw new InvalidOperationException($"the pipeline did not start: {ex.Message}\n{logs}", ex);
        }
    }

    private async Task StartTranslatorsAsync(Dictionary<string, string?> common, TranslatorSetup setup)
    {
        Llm = await FakeLlmServer.StartAsync();
        var redis = await LocalServers.RedisAsync();
        // A prefix of this set's own: other tests and other runs share the test Redis.
        var prefix = $"nassav:systest:{Guid.NewGuid():N}:translator:";
        Translators = Enumerable.Range(1, setup.Instances).Select(i => Track(HostProcess.Start($"translator-{i}",
            HostProcess.BuiltDll("services/translator/NasSav.Translator.Host"), HostProcess.FreePort(),
            new Dictionary<string, string?>(common)
            {
                ["Redis:Endpoint"] = redis,
                ["Translator:RedisKeyPrefix"] = prefix,
                ["Translator:SharedCacheDays"] = "0.01",
                ["Translator:Active"] = "fake",
                ["Translator:Engines:fake:Type"] = "ollama",
                ["Translator:Engines:fake:Url"] = Llm.Url,
                ["Translator:Engines:fake:Model"] = "qwen2.5:7b",
                ["Translator:Engines:fake:ApiKey"] = $"translator-{i}", // tells the instances apart at the LLM
                ["Translator:Engines:fake:TimeoutSeconds"] = "10",
                ["Translator:Engines:fake:RequestsPerMinute"] = setup.RequestsPerMinute.ToString(CultureInfo.InvariantCulture),
                ["Translator:Engines:fake:Burst"] = setup.Burst.ToString(CultureInfo.InvariantCulture),
            }))).ToList();
    }

    private HostProcess Track(HostProcess host)
    {
        _hosts.Add(host);
        return host;
    }

    public string Logs(int lines = 80) => string.Join("\n", _hosts.Select(h => h.Tail(lines)));

    public Task CheckAsync(Func<Task> body) => SystemTestFailure.WithLogsAsync(body, () => Logs());

    public async Task DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        foreach (var host in Enumerable.Reverse(_hosts)) await host.DisposeAsync();
        if (Llm is not null) await Llm.DisposeAsync();
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
