using NasSav.Contracts.Downloads;
using NasSav.Testing;

namespace NasSav.SystemTests.Downloads;

/// <summary>
/// Two downloader processes on RabbitMQ + PostgreSQL (fencing epochs) + Redis (lease, progress) with one shared data
/// folder, as two replicas on a shared volume: downloads never overlap, and a SIGKILLed active downloader's task is
/// finished by the other from the segments already fetched, byte-identical to a clean download of the same stream.
/// </summary>
[Collection(DistributedCollection.Name)]
public sealed class DownloaderFailoverTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly List<HostProcess> _downloaders = [];
    private PostgresDatabase? _database;
    private RabbitVhost? _vhost;
    private CountingHlsServer? _hls;
    private EventRecorder? _events;
    private string _dataRoot = "";

    private CountingHlsServer Hls => _hls!;
    private EventRecorder Events => _events!;

    public async Task InitializeAsync()
    {
        _hls = await CountingHlsServer.StartAsync(seconds: 60);
        _database = await PostgresDatabase.CreateAsync();
        _vhost = await RabbitVhost.CreateAsync();
        var redis = await LocalServers.RedisAsync();
        _dataRoot = Directory.CreateTempSubdirectory("nassav-downloaders-").FullName;
        var common = new Dictionary<string, string?>
        {
            ["Data:Root"] = _dataRoot,
            ["Bus:Transport"] = "RabbitMq",
            ["Bus:RabbitMqUri"] = _vhost.AmqpUri,
            ["Database:Provider"] = "Postgres",
            ["Database:ConnectionString"] = _database.ConnectionString,
            ["Redis:Endpoint"] = redis,
            // The test Redis is shared by every run on the machine: a lease of this run's own.
            ["Locking:KeyPrefix"] = $"systest-{Guid.NewGuid():N}:lease:",
            // Renewed every third of it: a live holder on a loaded machine must not lose it; a killed one's expires.
            ["Locking:LeaseTtl"] = "00:00:10",
            // A held segment is waiting for the test, not stalled.
            ["Downloader:Engine:StallTimeoutMs"] = "600000",
            ["Downloader:ProgressIntervalSeconds"] = "0.25",
        };
        // The first applies the migrations (fencing epochs); the second starts once the schema exists.
        foreach (var name in new[] { "dl-1", "dl-2" })
        {
            var host = HostProcess.Start(name, HostProcess.BuiltDll("services/downloader/NasSav.Downloader.Host"), HostProcess.FreePort(),
                new Dictionary<string, string?>(common) { ["Downloader:InstanceName"] = name });
            _downloaders.Add(host);
            await host.WaitReadyAsync(_http, DistributedSet.ReadyTimeout);
        }
        _events = await EventRecorder.StartAsync(_vhost.AmqpUri);
    }

    public async Task DisposeAsync()
    {
        if (_events is not null) await _events.DisposeAsync();
        foreach (var host in _downloaders) await host.DisposeAsync();
        if (_vhost is not null) await _vhost.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
        if (_hls is not null) await _hls.DisposeAsync();
        _http.Dispose();
        try { Directory.Delete(_dataRoot, recursive: true); } catch (IOException) { }
    }

    private DownloadVideo NewTask(string avid) => new()
    {
        CorrelationId = Guid.NewGuid(),
        Avid = avid,
        TaskId = $"t-{avid}-{Guid.NewGuid():N}",
        M3u8Url = Hls.Playlist(avid),
        RequestedAt = DateTimeOffset.UtcNow,
    };

    private string Video(string avid) => Path.Combine(_dataRoot, "resource", "video", avid + ".mp4");

    private string Logs() => string.Join('\n', _downloaders.Select(d => d.Tail(80)));

    [Fact]
    public Task Downloads_never_overlap_and_a_killed_downloader_is_finished_by_the_other_from_its_segments() => SystemTestFailure.WithLogsAsync(async () =>
    {
        // 1. Several downloads queued at once run one after the other.
        Hls.SegmentDelayMs = 100;
        var tasks = new[] { "SYS-001", "SYS-002", "SYS-003" }.Select(NewTask).ToList();
        foreach (var task in tasks) await Events.SendAsync(task);
        await Wait.UntilAsync(() => Events.Of<DownloadCompleted>().Count + Events.Of<DownloadFailed>().Count >= tasks.Count, Patience, "three downloads to end");
        Assert.Empty(Events.Of<DownloadFailed>());
        var runs = tasks.Select(t => (
                Started: Events.Of<DownloadStarted>(s => s.TaskId == t.TaskId).Single(),
                Completed: Events.Of<DownloadCompleted>(c => c.TaskId == t.TaskId).Single()))
            .OrderBy(r => r.Started.StartedAt).ToList();
        for (var i = 0; i < runs.Count; i++)
        {
            Assert.Equal(runs[i].Started.Epoch, runs[i].Completed.Epoch);
            if (i == 0) continue;
            Assert.True(runs[i - 1].Completed.CompletedAt <= runs[i].Started.StartedAt,
                $"{runs[i].Started.Avid} started at {runs[i].Started.StartedAt:O} on {runs[i].Started.Instance} before {runs[i - 1].Started.Avid} " +
                $"completed at {runs[i - 1].Completed.CompletedAt:O} on {runs[i - 1].Started.Instance}");
            Assert.True(runs[i].Started.Epoch > runs[i - 1].Started.Epoch);
        }
        foreach (var task in tasks) Assert.True(File.Exists(Video(task.Avid)), $"{task.Avid}.mp4 is missing");

        // 2. The active downloader dies (SIGKILL) mid-download; the other takes the message over and resumes. The
        // segments from 12 on are held until the kill, so it lands mid-download however fast or slow the machine.
        Hls.SegmentDelayMs = 0;
        using var hold = Hls.HoldSegmentsFrom(12);
        var killed = NewTask("SYS-KILL");
        await Events.SendAsync(killed);
        // Eight at a time: the site has seen 20 segment requests only once the 12 free ones are done and 8 are held
        // (progress events are throttled, so they may never show the last of a quick burst).
        await Wait.UntilAsync(() => Hls.SegmentRequests("SYS-KILL") >= 20, Patience, "twelve segments of SYS-KILL on disk and eight held");
        var first = Events.Of<DownloadStarted>(s => s.TaskId == killed.TaskId).Single();
        var victim = _downloaders.Single(d => d.Name == first.Instance);
        await victim.KillAsync();
        var requestedBeforeKill = Hls.SegmentRequests("SYS-KILL");
        hold.Release();

        await Wait.UntilAsync(() => Events.Of<DownloadCompleted>(c => c.TaskId == killed.TaskId).Count + Events.Of<DownloadFailed>(f => f.TaskId == killed.TaskId).Count > 0,
            Patience, "SYS-KILL to end on the other downloader");
        Assert.Empty(Events.Of<DownloadFailed>(f => f.TaskId == killed.TaskId));
        var completed = Events.Of<DownloadCompleted>(c => c.TaskId == killed.TaskId).Single();
        var takeover = Events.Of<DownloadStarted>(s => s.TaskId == killed.TaskId).Last();
        Assert.NotEqual(first.Instance, takeover.Instance);
        Assert.True(takeover.Epoch > first.Epoch);
        Assert.Equal(takeover.Epoch, completed.Epoch);

        var refetched = Hls.SegmentRequests("SYS-KILL") - requestedBeforeKill;
        Assert.True(refetched <= Hls.SegmentCount - 8,
            $"the takeover fetched {refetched} of {Hls.SegmentCount} segments again; the 8+ already on disk should have been reused");
        Assert.Equal(await File.ReadAllBytesAsync(Video("SYS-001")), await File.ReadAllBytesAsync(Video("SYS-KILL")));
        Assert.False(Directory.Exists(Path.Combine(_dataRoot, "resource", ".staging", "SYS-KILL")));
    }, Logs);
}
