using MassTransit;
using MassTransit.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NasSav.Contracts.Downloads;
using NasSav.Downloader.Monitoring;
using NasSav.ServiceDefaults.Bus;
using NasSav.ServiceDefaults.Hosting;
using NasSav.ServiceDefaults.Http;
using NasSav.Coordination.Locking;
using NasSav.Coordination;
using NasSav.Media.Storage;
using NasSav.Testing;

namespace NasSav.Downloader.Worker.Tests;

/// <summary>
/// The downloader module as the standalone host runs it (in-process lease lock, SQLite fencing epochs, in-process
/// expiring store, folder media store, the real HLS engine and ffmpeg) on MassTransit's in-memory test harness, which
/// records every published event; its HTTP endpoints on a free port.
/// </summary>
public sealed class WorkerHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WorkerHost(WebApplication app, string dataRoot)
    {
        _app = app;
        DataRoot = dataRoot;
        Http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()), Timeout = TimeSpan.FromSeconds(120) };
    }

    public string DataRoot { get; }
    public HttpClient Http { get; }
    public IServiceProvider Services => _app.Services;
    public ITestHarness Harness => Services.GetRequiredService<ITestHarness>();
    public ILeaseLock Leases => Services.GetRequiredService<ILeaseLock>();
    public IFencingEpochs Epochs => Services.GetRequiredService<IFencingEpochs>();
    public IExpiringStore Store => Services.GetRequiredService<IExpiringStore>();
    public IMediaStore Media => Services.GetRequiredService<IMediaStore>();
    public LockMonitor Monitor => Services.GetRequiredService<LockMonitor>();
    public string StagingRoot => Path.Combine(DataRoot, "resource", ".staging");

    /// <summary>The distributed set's implementations instead: the Redis lease lock and expiring store (test Redis).</summary>
    public static async Task<WorkerHost> StartOnRedisAsync(params (string Key, string? Value)[] overrides)
    {
        var redis = await LocalServers.RedisAsync();
        // The test Redis is shared by every run on the machine: a lease of this host's own.
        return await StartAsync([("Redis:Endpoint", redis), ("Locking:KeyPrefix", $"worker-test-{Guid.NewGuid():N}:lease:"), .. overrides]);
    }

    public static Task<WorkerHost> StartAsync(bool onRedis, params (string Key, string? Value)[] overrides) =>
        onRedis ? StartOnRedisAsync(overrides) : StartAsync(overrides);

    public static async Task<WorkerHost> StartAsync(params (string Key, string? Value)[] overrides)
    {
        var dataRoot = Directory.CreateTempSubdirectory("nassav-dl-worker-").FullName;
        var builder = WebApplication.CreateBuilder();
        var config = new Dictionary<string, string?>
        {
            ["Data:Root"] = dataRoot,
            ["Logging:Format"] = "simple",
            ["Logging:Console:FormatterOptions:TimestampFormat"] = "HH:mm:ss.fff ",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:NasSav"] = "Information",
            ["Locking:LeaseTtl"] = "00:00:03",
            ["Downloader:InstanceName"] = "test",
            // A heartbeat must outlive a loaded machine's pauses (a live task is never listed dead); the dead-heartbeat
            // test waits this ttl out.
            ["Downloader:HeartbeatIntervalSeconds"] = "1",
            ["Downloader:HeartbeatTtlSeconds"] = "10",
            ["Downloader:ProgressIntervalSeconds"] = "0.2",
            // Few segments at a time: with the site's per-segment delay a download lasts long enough to watch.
            ["Downloader:Engine:Parallelism"] = "2",
            // A segment the test holds (HlsSite.HoldSegmentsFrom) is waiting for the test, not stalled.
            ["Downloader:Engine:StallTimeoutMs"] = "600000",
            // The tests drive the monitor themselves (CheckOnceAsync).
            ["Downloader:Monitoring:Enabled"] = "false",
        };
        foreach (var (key, value) in overrides) config[key] = value;
        builder.Configuration.AddInMemoryCollection(config);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddNasSavDefaults("downloader-tests");
        builder.Services.AddDownloader(builder.Configuration);
        var contributions = builder.Services.Where(d => d.ServiceType == typeof(BusContribution))
            .Select(d => (BusContribution)d.ImplementationInstance!).ToList();
        builder.Services.AddSingleton<PublishRecorder>();
        builder.Services.AddMassTransitTestHarness(x =>
        {
            x.AddPublishObserver(sp => sp.GetRequiredService<PublishRecorder>());
            foreach (var contribution in contributions) contribution.Configure(x);
            x.SetTestTimeouts(testTimeout: TimeSpan.FromMinutes(5), testInactivityTimeout: TimeSpan.FromSeconds(2));
        });

        var app = builder.Build();
        app.UseNasSavErrorEnvelope();
        app.UseNasSavApi();
        app.MapDownloader();
        await app.StartAsync();
        return new WorkerHost(app, dataRoot);
    }

    public static DownloadVideo Download(string avid, string url, string? taskId = null) => new()
    {
        CorrelationId = Guid.NewGuid(),
        Avid = avid,
        TaskId = taskId ?? Guid.NewGuid().ToString("N"),
        M3u8Url = url,
        RequestedAt = DateTimeOffset.UtcNow,
    };

    public Task SendAsync(DownloadVideo message) => Harness.Bus.Publish(message);

    /// <summary>What was published so far, of one type (and matching <paramref name="where"/>), in publication order.</summary>
    public List<T> Published<T>(Func<T, bool>? where = null) where T : class =>
        Services.GetRequiredService<PublishRecorder>().Of(where);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try { Directory.Delete(DataRoot, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
