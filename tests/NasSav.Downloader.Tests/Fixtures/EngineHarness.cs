using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NasSav.Downloader.Engine;

namespace NasSav.Downloader.Tests.Fixtures;

/// <summary>
/// The engine as the service registers it (AddDownloader over configuration), a fixture server and a
/// scratch folder per test. Retry delays are made small so failures are quick; the stall timeout is long, so a healthy
/// segment on a loaded machine never trips it (the stall tests set their own, with the server hanging for real).
/// </summary>
public sealed class EngineHarness : IAsyncDisposable
{
    /// <summary>Bounds a hang only: a condition met ends the wait.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The stall timeout of the tests that want the watchdog to fire: the server hangs for good there, while every other
    /// segment must keep well clear of it however loaded the machine (its bytes are all written at once).
    /// </summary>
    public const string StallTimeoutMs = "5000";

    private readonly ServiceProvider _services;

    public HlsServer Server { get; }
    public HlsFixtures Fixtures { get; }
    public IHlsDownloader Engine { get; }
    public string Scratch { get; }
    public IServiceProvider Services => _services;

    private EngineHarness(ServiceProvider services, HlsServer server, HlsFixtures fixtures, string scratch)
    {
        _services = services;
        Server = server;
        Fixtures = fixtures;
        Scratch = scratch;
        Engine = services.GetRequiredService<IHlsDownloader>();
    }

    public static async Task<EngineHarness> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var fixtures = await HlsFixtures.GetAsync();
        var server = await HlsServer.StartAsync(fixtures.Root);
        var values = new Dictionary<string, string?>
        {
            ["Downloader:Engine:RetryBaseDelayMs"] = "10",
            ["Downloader:Engine:RetryMaxDelayMs"] = "50",
            ["Downloader:Engine:Attempts"] = "4",
            ["Downloader:Engine:StallTimeoutMs"] = "60000",
            ["Downloader:Engine:ReserveFreeMegabytes"] = "0",
            ["Downloader:Engine:ProgressIntervalMs"] = "0",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) values[k] = v;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection().AddLogging().AddDownloader(configuration).BuildServiceProvider(validateScopes: true);
        return new EngineHarness(services, server, fixtures, Directory.CreateTempSubdirectory("nassav-hls-test-").FullName);
    }

    public string Staging(string name = "staging") => Path.Combine(Scratch, name);

    public HlsDownloadRequest Request(string pathAndQuery, string staging = "staging", IReadOnlyDictionary<string, string>? headers = null,
        int? maxHeight = null, IReadOnlyList<string>? resumeFrom = null) =>
        new(Server.Uri(pathAndQuery), Staging(staging), headers ?? new Dictionary<string, string>(), maxHeight, resumeFrom);

    public Task<HlsDownloadResult> DownloadAsync(HlsDownloadRequest request, IProgress<HlsProgress>? progress = null, CancellationToken ct = default) =>
        Engine.DownloadAsync(request, progress, ct);

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await _services.DisposeAsync();
        try { Directory.Delete(Scratch, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Collects progress reports synchronously (Progress&lt;T&gt; would post them to the thread pool, out of order).</summary>
public sealed class ProgressLog : IProgress<HlsProgress>
{
    private readonly List<HlsProgress> _reports = [];

    public IReadOnlyList<HlsProgress> Reports
    {
        get { lock (_reports) return [.. _reports]; }
    }

    public void Report(HlsProgress value)
    {
        lock (_reports) _reports.Add(value);
    }
}
