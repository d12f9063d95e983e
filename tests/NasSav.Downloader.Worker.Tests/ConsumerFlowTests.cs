using System.Text.Json;
using NasSav.Contracts.Downloads;
using NasSav.Downloader.Downloads;
using NasSav.Media.Avids;
using NasSav.Media.Storage;
using NasSav.Testing;

namespace NasSav.Downloader.Worker.Tests;

/// <summary>DownloadVideo end to end in one process: in-memory bus, standalone lock and store, the real engine and ffmpeg.</summary>
[Collection(WorkerCollection.Name)]
public sealed class ConsumerFlowTests(HlsSite site)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_download_publishes_started_progress_and_completed_with_one_epoch_and_stores_the_mp4(bool onRedis)
    {
        site.SegmentDelayMs = 150;
        await using var host = await WorkerHost.StartAsync(onRedis);
        var task = WorkerHost.Download("DEMO-001", site.Playlist("DEMO-001"));
        await host.SendAsync(task);

        await Wait.UntilAsync(() => host.Published<DownloadCompleted>(c => c.TaskId == task.TaskId).Count > 0, Patience, "DownloadCompleted");
        var started = Assert.Single(host.Published<DownloadStarted>(s => s.TaskId == task.TaskId));
        var completed = Assert.Single(host.Published<DownloadCompleted>(c => c.TaskId == task.TaskId));
        var progress = host.Published<DownloadProgressed>(p => p.TaskId == task.TaskId);
        Assert.Empty(host.Published<DownloadFailed>(f => f.TaskId == task.TaskId));

        Assert.True(started.Epoch > 0);
        Assert.Equal("test", started.Instance);
        Assert.Equal(started.Epoch, completed.Epoch);
        Assert.All(progress, p => Assert.Equal(started.Epoch, p.Epoch));
        Assert.True(progress.Count >= 2, $"expected several progress events, got {progress.Count}");
        Assert.Contains(progress, p => p.Percent >= 100);
        Assert.All(progress, p => Assert.Matches(@"^\d+\.\d (B|KB|MB|GB)/s$", p.Speed));
        var downloadPhase = progress.Where(p => p.Phase == "download").Select(p => p.Percent).ToList();
        Assert.Equal(downloadPhase.Order().ToList(), downloadPhase);
        // Started went out straight through the bus, before the first progress; the completion after the last.
        Assert.True(started.StartedAt <= progress[0].At);
        Assert.True(progress[^1].At <= completed.CompletedAt);

        var info = await host.Media.GetInfoAsync(MediaKey.Video(Avid.Parse("DEMO-001")));
        Assert.NotNull(info);
        Assert.Equal(info.Size, completed.FileSize);
        var path = host.Media.TryGetLocalPath(MediaKey.Video(Avid.Parse("DEMO-001")))!;
        Assert.InRange(await Tools.DurationAsync(path), HlsSite.ClipSeconds - 1, HlsSite.ClipSeconds + 1);
        Assert.InRange(completed.DurationSeconds, HlsSite.ClipSeconds - 1, HlsSite.ClipSeconds + 1);

        // Finished: staging removed, snapshot cleared, lease free.
        Assert.False(Directory.Exists(Path.Combine(host.StagingRoot, "DEMO-001")));
        Assert.Null(await host.Store.GetAsync(DownloadProgressKeys.For("DEMO-001")));
        await Wait.UntilAsync(async () => await host.Leases.GetHolderAsync(DownloadKeys.Lease, default) is null, Patience, "the lease released");
    }

    [Fact]
    public async Task The_progress_snapshot_is_written_while_downloading()
    {
        // Held after two segments: the download is still running when the snapshot is read, however fast the machine.
        site.SegmentDelayMs = 0;
        using var hold = site.HoldSegmentsFrom(2);
        await using var host = await WorkerHost.StartAsync();
        var task = WorkerHost.Download("DEMO-002", site.Playlist("DEMO-002"));
        await host.SendAsync(task);

        string? json = null;
        await Wait.UntilAsync(async () => (json = await host.Store.GetAsync(DownloadProgressKeys.For("DEMO-002"))) is not null, Patience, "a progress snapshot");
        using var doc = JsonDocument.Parse(json!);
        var root = doc.RootElement;
        foreach (var field in new[] { "percent", "speed", "eta", "downloaded", "updated_at", "epoch", "phase" })
            Assert.True(root.TryGetProperty(field, out _), $"snapshot lacks {field}: {json}");
        Assert.Equal(host.Published<DownloadStarted>(s => s.TaskId == task.TaskId).Single().Epoch, root.GetProperty("epoch").GetInt64());
        hold.Release();
        await Wait.UntilAsync(() => host.Published<DownloadCompleted>(c => c.TaskId == task.TaskId).Count > 0, Patience, "DownloadCompleted");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_cancel_stops_the_running_download_and_answers_cancelled(bool onRedis)
    {
        // Every segment is held (and the stall watchdog waits ten minutes): only the cancel can end this download.
        // The one-second requirement is a latency, measured by tools/NasSav.Bench `cancel` (docs/benchmarks.md).
        site.SegmentDelayMs = 0;
        using var hold = site.HoldSegmentsFrom(0);
        await using var host = await WorkerHost.StartAsync(onRedis, ("Downloader:Engine:Parallelism", "1"));
        var task = WorkerHost.Download("DEMO-004", site.Playlist("DEMO-004"));
        await host.SendAsync(task);
        await Wait.UntilAsync(() => host.Published<DownloadStarted>(s => s.TaskId == task.TaskId).Count > 0, Patience, "DownloadStarted");

        await host.Harness.Bus.Publish(new CancelDownload { CorrelationId = task.CorrelationId, Avid = task.Avid, TaskId = task.TaskId });
        await Wait.UntilAsync(() => host.Published<DownloadFailed>(f => f.TaskId == task.TaskId).Count > 0, Patience, "DownloadFailed after the cancel");
        var failed = host.Published<DownloadFailed>(f => f.TaskId == task.TaskId).Single();
        Assert.True(failed.Cancelled);
        Assert.Equal("下载已取消", failed.Message);
        Assert.Empty(host.Published<DownloadCompleted>(c => c.TaskId == task.TaskId));
        Assert.False(Directory.Exists(Path.Combine(host.StagingRoot, "DEMO-004")));
        Assert.Null(await host.Media.GetInfoAsync(MediaKey.Video(Avid.Parse("DEMO-004"))));
    }

    [Fact]
    public async Task A_task_cancelled_while_queued_is_skipped_when_it_arrives()
    {
        site.SegmentDelayMs = 0;
        await using var host = await WorkerHost.StartAsync();
        var task = WorkerHost.Download("DEMO-007", site.Playlist("DEMO-007"));
        await host.Harness.Bus.Publish(new CancelDownload { CorrelationId = task.CorrelationId, Avid = task.Avid, TaskId = task.TaskId });
        await Wait.UntilAsync(async () => await host.Store.GetAsync(DownloadKeys.Cancelled(task.TaskId)) is not null, Patience, "the cancel remembered");

        var before = site.SegmentRequests("DEMO-007");
        await host.SendAsync(task);
        Assert.True(await host.Harness.Consumed.Any<DownloadVideo>(c => c.Context.Message.TaskId == task.TaskId));
        // A later task runs normally, so the skipped one had its turn before it.
        var next = WorkerHost.Download("DEMO-008", site.Playlist("DEMO-008"));
        await host.SendAsync(next);
        await Wait.UntilAsync(() => host.Published<DownloadCompleted>(c => c.TaskId == next.TaskId).Count > 0, Patience, "the next task completed");

        Assert.Empty(host.Published<DownloadStarted>(s => s.TaskId == task.TaskId));
        Assert.Empty(host.Published<DownloadFailed>(f => f.TaskId == task.TaskId));
        Assert.Equal(before, site.SegmentRequests("DEMO-007"));
    }

    [Fact]
    public async Task A_stream_that_cannot_be_had_fails_with_the_reason()
    {
        await using var host = await WorkerHost.StartAsync();
        var task = WorkerHost.Download("DEMO-009", site.BaseUrl + "/hls/NOPE-404/playlist.m3u8");
        await host.SendAsync(task);
        await Wait.UntilAsync(() => host.Published<DownloadFailed>(f => f.TaskId == task.TaskId).Count > 0, Patience, "DownloadFailed");
        var failed = host.Published<DownloadFailed>(f => f.TaskId == task.TaskId).Single();
        Assert.StartsWith("下载失败: ", failed.Message);
        Assert.False(string.IsNullOrEmpty(failed.Error));
        Assert.False(failed.Cancelled);
        Assert.True(failed.Epoch > 0);
        Assert.Empty(host.Published<DownloadCompleted>(c => c.TaskId == task.TaskId));
        await Wait.UntilAsync(async () => await host.Leases.GetHolderAsync(DownloadKeys.Lease, default) is null, Patience, "the lease released");
    }

    [Fact]
    public async Task Bad_input_fails_without_taking_the_lease()
    {
        await using var host = await WorkerHost.StartAsync();
        var badAvid = WorkerHost.Download("../etc", site.Playlist("DEMO-001"));
        var badUrl = WorkerHost.Download("DEMO-010", "file:///etc/passwd");
        await host.SendAsync(badAvid);
        await host.SendAsync(badUrl);
        await Wait.UntilAsync(() => host.Published<DownloadFailed>().Count >= 2, Patience, "two DownloadFailed");
        Assert.Contains("avid", host.Published<DownloadFailed>(f => f.TaskId == badAvid.TaskId).Single().Message);
        Assert.Contains("m3u8", host.Published<DownloadFailed>(f => f.TaskId == badUrl.TaskId).Single().Message);
        Assert.Empty(host.Published<DownloadStarted>());
        Assert.Equal(0, await host.Epochs.CurrentAsync(DownloadKeys.Lease, default));
    }

    [Fact]
    public async Task A_redelivered_completed_task_is_announced_again_without_downloading()
    {
        site.SegmentDelayMs = 0;
        await using var host = await WorkerHost.StartAsync();
        var task = WorkerHost.Download("DEMO-011", site.Playlist("DEMO-011"));
        await host.SendAsync(task);
        await Wait.UntilAsync(() => host.Published<DownloadCompleted>(c => c.TaskId == task.TaskId).Count > 0, Patience, "DownloadCompleted");
        var segments = site.SegmentRequests("DEMO-011");

        await host.SendAsync(task);
        await Wait.UntilAsync(() => host.Published<DownloadCompleted>(c => c.TaskId == task.TaskId).Count > 1, Patience, "the second DownloadCompleted");
        var both = host.Published<DownloadCompleted>(c => c.TaskId == task.TaskId);
        Assert.Equal(both[0].Epoch, both[1].Epoch);
        Assert.Single(host.Published<DownloadStarted>(s => s.TaskId == task.TaskId));
        Assert.Equal(segments, site.SegmentRequests("DEMO-011"));
    }

    [Fact]
    public async Task A_mock_download_reports_once_a_second_like_the_peer_and_takes_no_lease()
    {
        await using var host = await WorkerHost.StartAsync();
        var task = WorkerHost.Download("DEMO-012", "") with { Mock = true, MockDurationSeconds = 3 };
        await host.SendAsync(task);
        await Wait.UntilAsync(() => host.Published<DownloadStarted>(s => s.TaskId == task.TaskId).Count > 0, Patience, "DownloadStarted");
        Assert.Null(await host.Leases.GetHolderAsync(DownloadKeys.Lease, default));
        await Wait.UntilAsync(() => host.Published<DownloadCompleted>(c => c.TaskId == task.TaskId).Count > 0, Patience, "DownloadCompleted");

        var started = host.Published<DownloadStarted>(s => s.TaskId == task.TaskId).Single();
        Assert.True(started.Mock);
        Assert.Equal(0, started.Epoch);
        var progress = host.Published<DownloadProgressed>(p => p.TaskId == task.TaskId);
        Assert.Equal([33.33, 66.67, 100.0], progress.Select(p => Math.Round(p.Percent, 2)));
        Assert.Equal(["2.0 MB/s", "4.0 MB/s", "6.0 MB/s"], progress.Select(p => p.Speed));
        Assert.Equal(["00:00:02", "00:00:01", "00:00:00"], progress.Select(p => p.Eta));
        Assert.All(progress, p => Assert.True(p.Mock));
        var completed = host.Published<DownloadCompleted>(c => c.TaskId == task.TaskId).Single();
        Assert.True(completed.Mock);
        Assert.Null(await host.Media.GetInfoAsync(MediaKey.Video(Avid.Parse("DEMO-012"))));
        Assert.Equal(0, await host.Epochs.CurrentAsync(DownloadKeys.Lease, default));
    }
}
