using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using NasSav.Testing;
using Xunit.Abstractions;

namespace NasSav.SystemTests.Faults;

/// <summary>
/// What survives what, on the distributed set (<see cref="FaultSet"/>): in turn RabbitMQ, PostgreSQL and Redis are
/// restarted, then a catalog and the active downloader are killed (SIGKILL), each while a batch of 100 adds and a
/// download run. Each time, with no manual step and within a bounded time: every AVID is Ready with its metadata,
/// nothing exists twice, no request got a 5xx outside the outage, and the download's MP4 is whole. The timings
/// (outage, recovery, time to all-Ready) go to the test output; docs/operations.md "What survives what" has them.
/// </summary>
[Collection(DistributedCollection.Name)]
[TestCaseOrderer(StepOrderer.TypeName, StepOrderer.AssemblyName)]
public sealed class FaultTests(FaultSet set, ITestOutputHelper output) : IClassFixture<FaultSet>
{
    private const int BatchAvids = 100;
    /// <summary>Adds per batch request, and batch requests in flight: at most 12 adds waiting on the lifecycle at once (Lifecycle:BatchConcurrency 4 per request), and a batch request
    /// that waits on every add (25 s at most each) answers well within the gateway's 100 s.</summary>
    private const int BatchSize = 8;
    private const int Clients = 3;
    /// <summary>How long after the set is healthy again every AVID must be Ready and the download done.</summary>
    private static readonly TimeSpan SettleWithin = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan RecoverWithin = TimeSpan.FromMinutes(2);
    /// <summary>Per segment until the fault is over: the rest of the download (22 segments) outlasts any wait before the fault.</summary>
    private const int HeldSegmentMs = 5000;

    private readonly LibraryProbe _probe = new(set.Servers);
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    [Fact, Step(1)]
    public Task A_RabbitMQ_restart_during_a_batch_and_a_download_loses_nothing() =>
        RunAsync("RabbitMQ restart", first: 1, download: "DEMO-401", () => RestartAsync(ServerKind.RabbitMq));

    [Fact, Step(2)]
    public Task A_PostgreSQL_restart_during_a_batch_and_a_download_loses_nothing() =>
        RunAsync("PostgreSQL restart", first: 101, download: "DEMO-402", () => RestartAsync(ServerKind.Postgres));

    [Fact, Step(3)]
    public Task A_Redis_restart_during_a_batch_and_a_download_loses_nothing() =>
        RunAsync("Redis restart", first: 201, download: "DEMO-406", () => RestartAsync(ServerKind.Redis));

    [Fact, Step(4)]
    public Task Killing_a_catalog_and_the_active_downloader_during_a_batch_and_a_download_loses_nothing() =>
        RunAsync("kill -9 catalog + active downloader", first: 301, download: "DEMO-410", KillAsync);

    /// <summary>When the fault began, when its cause was gone (server back, killed hosts started again), what it was.</summary>
    private sealed record Fault(TimeSpan Began, TimeSpan Over, string Detail);

    private async Task<Fault> RestartAsync(ServerKind server)
    {
        var began = _clock.Elapsed;
        var stop = await set.Servers.StopAsync(server);
        var start = await set.Servers.StartAsync(server);
        return new Fault(began, _clock.Elapsed, $"stop {stop.TotalSeconds:0.0} s + start {start.TotalSeconds:0.0} s");
    }

    private async Task<Fault> KillAsync(string downloadAvid)
    {
        string? active = null;
        await Wait.UntilAsync(async () => (active = await _probe.DownloadInstanceAsync(downloadAvid)) is not null, TimeSpan.FromSeconds(30),
            $"the lifecycle of {downloadAvid} to name its downloader");
        var downloader = set.Downloaders.Single(d => d.Name == active);
        var catalog = set.Catalogs[0];
        var began = _clock.Elapsed;
        await Task.WhenAll(set.KillAsync(catalog), set.KillAsync(downloader));
        var restarted = new[] { set.Restart(catalog), set.Restart(downloader) };
        await Task.WhenAll(restarted.Select(h => h.WaitReadyAsync(set.Http, RecoverWithin)));
        return new Fault(began, _clock.Elapsed, $"killed {catalog.Name} and {downloader.Name} (the active one), both started again");
    }

    private Task RunAsync(string name, int first, string download, Func<Task<Fault>> inject) =>
        RunAsync(name, first, download, _ => inject());

    private Task RunAsync(string name, int first, string download, Func<string, Task<Fault>> inject) => set.CheckAsync(async () =>
    {
        var avids = Enumerable.Range(first, BatchAvids).Select(n => $"DEMO-{n:000}").ToList();
        var repaired = await set.RestartBrokenAsync(TimeSpan.FromSeconds(30));
        var start = _clock.Elapsed;

        await AddOneAsync(download);

        // A download under way (two of its segments on disk, the others held back), then the batch under way (a fifth
        // of it answered).
        await set.SetSegmentDelayAsync(HeldSegmentMs);
        using (var submit = await set.Http.PostAsync(set.Api($"downloads/{download}"), null))
            Assert.True(submit.StatusCode == HttpStatusCode.Accepted, $"download {download}: HTTP {(int)submit.StatusCode} {await submit.Content.ReadAsStringAsync()}");
        await Wait.UntilAsync(() => SegmentsOnDisk(download) >= 2, TimeSpan.FromMinutes(1), $"two segments of {download} on disk");
        using var stopLoad = new CancellationTokenSource();
        var load = AddLoad.Start(set.Http, set.Api("resources/batch"), _clock, avids, BatchSize, Clients, stopLoad.Token);
        await Wait.UntilAsync(() => load.Settled.Count >= BatchAvids / 5 || load.Completion.IsCompleted, TimeSpan.FromMinutes(2), "a fifth of the batch answered");
        var settledBefore = load.Settled.Count;
        var segmentsBefore = SegmentsOnDisk(download);
        Assert.True(settledBefore < BatchAvids && segmentsBefore < FaultSet.Segments && !File.Exists(set.Video(download)),
            $"the fault would not land mid-batch and mid-download: {settledBefore}/{BatchAvids} adds answered, {segmentsBefore}/{FaultSet.Segments} segments");

        var fault = await inject(download);
        var notReady = await set.NotReadyAsync(set.Services, RecoverWithin);
        var recovered = _clock.Elapsed;
        // The download may finish now.
        await set.SetSegmentDelayAsync(0);

        IReadOnlyList<LibraryProbe.AvidState> states = [];
        IReadOnlyList<LibraryProbe.AvidState> downloaded = [];
        string? timedOut = null;
        if (notReady.Count > 0)
        {
            // Nothing can settle on a set that did not come back: no point waiting for it.
            timedOut = $"services not ready {RecoverWithin.TotalSeconds:0} s after the fault was over:\n{string.Join("\n", notReady)}";
            states = await _probe.TryReadAsync(avids) ?? states;
            downloaded = await _probe.TryReadAsync([download]) ?? downloaded;
        }
        else try
        {
            await Wait.UntilAsync(async () =>
            {
                states = await _probe.TryReadAsync(avids) ?? states;
                downloaded = await _probe.TryReadAsync([download]) ?? downloaded;
                return load.Completion.IsCompleted && states.Count == avids.Count && states.All(s => s.ReadyWithMetadata)
                       && downloaded.Count == 1 && downloaded[0].State == "Downloaded" && downloaded[0].FileExists;
            }, SettleWithin, $"the batch's {BatchAvids} AVIDs Ready with metadata and {download} downloaded");
        }
        catch (TimeoutException ex)
        {
            timedOut = ex.Message;
        }
        var settled = _clock.Elapsed;
        await stopLoad.CancelAsync();

        var answers = load.Answers;
        var serverErrors = answers.Where(a => a.IsServerError).ToList();
        var outsideOutage = serverErrors.Where(a => a.AnsweredAt < fault.Began || a.SentAt > recovered).ToList();
        var unsettled = avids.Where(a => !load.Settled.ContainsKey(a)).ToList();
        var unexpected = load.Settled.Values.Where(a => a.Code is not (200 or 201 or 202 or 409)).ToList();
        var report = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"{name}: {fault.Detail}{string.Concat(repaired.Select(r => $" (before it: {r})"))}")
            .AppendLine(CultureInfo.InvariantCulture, $"  fault began at {Wall(fault.Began)} (over at {Wall(fault.Over)}), {S(fault.Began - start)} after the phase started, with {settledBefore}/{BatchAvids} adds answered and {segmentsBefore}/{FaultSet.Segments} segments of {download} on disk")
            .AppendLine(CultureInfo.InvariantCulture, $"  outage {S(fault.Over - fault.Began)}; {(notReady.Count == 0 ? "every service ready again" : $"{notReady.Count} service(s) still not ready")} {S(recovered - fault.Over)} later")
            .AppendLine(CultureInfo.InvariantCulture, $"  {(timedOut is null ? "all Ready with metadata and the download done" : "NOT settled")} {S(settled - fault.Began)} after the fault began ({S(settled - recovered)} after recovery); phase {S(settled - start)}")
            .AppendLine(CultureInfo.InvariantCulture, $"  answers: {answers.Count} for {BatchAvids} AVIDs; {string.Join(", ", answers.GroupBy(a => a.Code).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}"))}; 5xx or no answer: {serverErrors.Count}, outside the outage: {outsideOutage.Count}")
            .AppendLine(CultureInfo.InvariantCulture, $"  never settled by the client: {(unsettled.Count == 0 ? "none" : string.Join(", ", unsettled))}")
            .AppendLine(CultureInfo.InvariantCulture, $"  5xx outside the outage: {(outsideOutage.Count == 0 ? "none" : string.Join("; ", outsideOutage.Take(10)))}")
            .AppendLine(CultureInfo.InvariantCulture, $"  batch: {LibraryProbe.Summarize(states)}")
            .AppendLine(CultureInfo.InvariantCulture, $"  download {download}: {(downloaded.Count == 1 ? downloaded[0].Describe() : "unread")}")
            .ToString();
        output.WriteLine(report);

        Assert.True(timedOut is null, $"{timedOut}\n{report}broker: {await _probe.QueuesWithMessagesAsync()}");
        Assert.True(outsideOutage.Count == 0, $"5xx outside the outage window:\n{string.Join("\n", outsideOutage.Take(20))}\n{report}");
        Assert.True(unexpected.Count == 0, $"unexpected answers:\n{string.Join("\n", unexpected.Take(20))}\n{report}");
        Assert.All(states.Concat(downloaded), s => Assert.True(s.Rows == 1 && s.Lifecycles == 1, $"{s.Avid}: {s.Rows} rows, {s.Lifecycles} lifecycles"));
        Assert.Empty(await _probe.DuplicateNamesAsync());
        await AssertVideoAsync(download);
    });

    private async Task AddOneAsync(string avid)
    {
        using var response = await set.Http.PostAsync(set.Api("resource"), new StringContent($$"""{"avid":"{{avid}}"}""", Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Accepted, $"add {avid}: HTTP {(int)response.StatusCode} {body}");
        await Wait.UntilAsync(async () => (await _probe.TryReadAsync([avid]))?.SingleOrDefault()?.ReadyWithMetadata == true,
            RecoverWithin, $"{avid} Ready with metadata");
    }

    private int SegmentsOnDisk(string avid)
    {
        var staging = set.Staging(avid);
        return Directory.Exists(staging) ? Directory.EnumerateFiles(staging, "*.seg", SearchOption.AllDirectories).Count() : 0;
    }

    /// <summary>One MP4 of the whole stream, that ffmpeg decodes without an error, and nothing left in staging.</summary>
    private async Task AssertVideoAsync(string avid)
    {
        var file = set.Video(avid);
        Assert.True(File.Exists(file), $"{file} is missing");
        var videos = Directory.GetFiles(Path.GetDirectoryName(file)!, avid + "*");
        Assert.Equal([file], videos);
        var (probeExit, probe, probeErr) = await ExternalTools.RunAsync("ffprobe", "-v", "error", "-show_entries", "format=duration:stream=codec_name", "-of", "json", file);
        Assert.True(probeExit == 0, $"ffprobe {file}: {probeErr}");
        using var doc = JsonDocument.Parse(probe);
        var codecs = doc.RootElement.GetProperty("streams").EnumerateArray().Select(s => s.GetProperty("codec_name").GetString()).Order().ToList();
        Assert.Equal(["aac", "h264"], codecs);
        var duration = double.Parse(doc.RootElement.GetProperty("format").GetProperty("duration").GetString()!, CultureInfo.InvariantCulture);
        Assert.InRange(duration, FaultSet.ClipSeconds - 1, FaultSet.ClipSeconds + 1);
        var (decodeExit, _, decodeErr) = await ExternalTools.RunAsync("ffmpeg", "-nostdin", "-v", "error", "-xerror", "-i", file, "-f", "null", "-");
        Assert.True(decodeExit == 0 && decodeErr.Length == 0, $"ffmpeg could not decode {file} cleanly: {decodeErr}");
        Assert.False(Directory.Exists(set.Staging(avid)), $"{set.Staging(avid)} is still there");
    }

    /// <summary>The local time of a moment on the test's clock, to find it in the hosts' logs.</summary>
    private string Wall(TimeSpan at) => (DateTime.Now - (_clock.Elapsed - at)).ToString("HH:mm:ss.f", CultureInfo.InvariantCulture);

    private static string S(TimeSpan t) => string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.0} s");
}
