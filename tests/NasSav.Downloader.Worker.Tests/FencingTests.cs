using Microsoft.Extensions.DependencyInjection;
using NasSav.Contracts.Downloads;
using NasSav.Downloader.Downloads;
using NasSav.Downloader.Engine;
using NasSav.Media.Avids;
using NasSav.Media.Storage;
using NasSav.Testing;

namespace NasSav.Downloader.Worker.Tests;

/// <summary>The fenced finish: a holder whose epoch is no longer current neither moves its file nor reports it.</summary>
[Collection(WorkerCollection.Name)]
public sealed class FencingTests(HlsSite site)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_stale_finish_moves_nothing_and_a_current_one_moves_the_file(bool onRedis)
    {
        await using var host = await WorkerHost.StartAsync(onRedis);
        var avid = Avid.Parse("STALE-001");
        await using var lease = await host.Leases.AcquireAsync(DownloadKeys.Lease, "test:old", default);
        var folder = Path.Combine(host.StagingRoot, avid.Value, lease.Epoch.ToString());
        Directory.CreateDirectory(folder);
        var mp4 = Path.Combine(folder, "out.mp4");
        await File.WriteAllBytesAsync(mp4, new byte[4096]);
        var result = new HlsDownloadResult(mp4, 4096, TimeSpan.FromSeconds(8), 4);

        // Someone else takes the lease over: the old epoch is stale.
        Assert.True(await host.Leases.ForceReleaseAsync(DownloadKeys.Lease, default));
        await using var scope = host.Services.CreateAsyncScope();
        var move = scope.ServiceProvider.GetRequiredService<FencedMove>();
        Assert.Null(await move.TryMoveAsync(avid, lease.Epoch, result, default));
        Assert.True(File.Exists(mp4));
        Assert.Null(await host.Media.GetInfoAsync(MediaKey.Video(avid)));

        await using var current = await host.Leases.AcquireAsync(DownloadKeys.Lease, "test:new", default);
        Assert.True(current.Epoch > lease.Epoch);
        var stored = await move.TryMoveAsync(avid, current.Epoch, result, default);
        Assert.NotNull(stored);
        Assert.Equal(4096, stored.Size);
        Assert.False(File.Exists(mp4));
    }

    [Fact]
    public async Task A_finished_file_of_the_wrong_size_is_not_moved()
    {
        await using var host = await WorkerHost.StartAsync();
        var avid = Avid.Parse("STALE-002");
        await using var lease = await host.Leases.AcquireAsync(DownloadKeys.Lease, "test:one", default);
        var mp4 = Path.Combine(host.DataRoot, "short.mp4");
        await File.WriteAllBytesAsync(mp4, new byte[100]);
        await using var scope = host.Services.CreateAsyncScope();
        var move = scope.ServiceProvider.GetRequiredService<FencedMove>();
        var error = await Assert.ThrowsAsync<HlsDownloadException>(() => move.TryMoveAsync(avid, lease.Epoch, new HlsDownloadResult(mp4, 4096, TimeSpan.Zero, 1), default));
        Assert.Contains("4096", error.Message);
        Assert.Null(await host.Media.GetInfoAsync(MediaKey.Video(avid)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_manual_release_mid_download_fences_the_holder_which_resumes_under_a_new_epoch(bool onRedis)
    {
        // Held after two segments, so the release lands mid-download on any machine; let go once the lease is released.
        site.SegmentDelayMs = 0;
        using var hold = site.HoldSegmentsFrom(2);
        await using var host = await WorkerHost.StartAsync(onRedis);
        var task = WorkerHost.Download("DEMO-005", site.Playlist("DEMO-005"));
        var before = site.SegmentRequests("DEMO-005"); // the site is shared by the tests of the collection
        await host.SendAsync(task);
        // Two at a time: segment 3 is asked for only once two segments are done (progress events are throttled, so
        // the site's count is the one that surely moves).
        await Wait.UntilAsync(() => site.SegmentRequests("DEMO-005") - before >= 4, Patience, "two segments done and two held");
        var first = host.Published<DownloadStarted>(s => s.TaskId == task.TaskId).Single();

        var response = await host.Http.PostAsync("/nassav/api/monitoring/lock/release", null);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        hold.Release();

        await Wait.UntilAsync(() => host.Published<DownloadCompleted>(c => c.TaskId == task.TaskId).Count > 0, Patience, "DownloadCompleted");
        var completed = host.Published<DownloadCompleted>(c => c.TaskId == task.TaskId).Single();
        var starts = host.Published<DownloadStarted>(s => s.TaskId == task.TaskId);
        Assert.True(starts.Count >= 2, "the fenced holder starts again under a new epoch");
        Assert.True(completed.Epoch > first.Epoch);
        Assert.Equal(starts[^1].Epoch, completed.Epoch);
        Assert.Empty(host.Published<DownloadFailed>(f => f.TaskId == task.TaskId));
        // Every progress event carries the epoch of the attempt that sent it, and the new attempt only newer ones.
        var epochs = starts.Select(s => s.Epoch).ToHashSet();
        Assert.All(host.Published<DownloadProgressed>(p => p.TaskId == task.TaskId), p => Assert.Contains(p.Epoch, epochs));
        var path = host.Media.TryGetLocalPath(MediaKey.Video(Avid.Parse("DEMO-005")))!;
        Assert.InRange(await Tools.DurationAsync(path), HlsSite.ClipSeconds - 1, HlsSite.ClipSeconds + 1);
    }
}
