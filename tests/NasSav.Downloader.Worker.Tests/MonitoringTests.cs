using System.Net;
using System.Text.Json;
using NasSav.Contracts.Downloads;
using NasSav.Downloader.Downloads;
using NasSav.Downloader.Monitoring;
using NasSav.Testing;

namespace NasSav.Downloader.Worker.Tests;

/// <summary>/nassav/api/monitoring/: lock health, heartbeats, statistics, manual release; and the tiered lock monitor.</summary>
[Collection(WorkerCollection.Name)]
public sealed class MonitoringTests(HlsSite site)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static async Task<JsonElement> DataAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{(int)response.StatusCode}: {body}");
        using var doc = JsonDocument.Parse(body);
        Assert.Equal((int)expected, doc.RootElement.GetProperty("code").GetInt32());
        return doc.RootElement.GetProperty("data").Clone();
    }

    [Fact]
    public async Task Lock_health_shows_a_free_lease_then_its_holder_with_age_and_epoch()
    {
        await using var host = await WorkerHost.StartAsync();
        var free = await DataAsync(await host.Http.GetAsync("/nassav/api/monitoring/lock"));
        Assert.Equal("free", free.GetProperty("state").GetString());
        Assert.False(free.GetProperty("held").GetBoolean());
        Assert.Equal(JsonValueKind.Null, free.GetProperty("holder").ValueKind);
        foreach (var field in new[] { "epoch", "attempts", "success_rate", "timeout_rate", "average_hold_seconds", "average_wait_seconds", "timeouts" })
            Assert.True(free.TryGetProperty(field, out _), $"lock health lacks {field}");

        await using var lease = await host.Leases.AcquireAsync(DownloadKeys.Lease, "box-1:attempt", default);
        var held = await DataAsync(await host.Http.GetAsync("/nassav/api/monitoring/lock"));
        Assert.Equal("held", held.GetProperty("state").GetString());
        Assert.Equal("box-1:attempt", held.GetProperty("holder").GetString());
        Assert.Equal("box-1", held.GetProperty("instance").GetString());
        Assert.Equal(lease.Epoch, held.GetProperty("epoch").GetInt64());
        Assert.Equal(lease.Epoch, held.GetProperty("holder_epoch").GetInt64());
        Assert.True(held.GetProperty("age_seconds").GetDouble() >= 0);
        Assert.True(held.GetProperty("remaining_ttl_seconds").GetDouble() > 0);
        Assert.Equal(300, held.GetProperty("timeouts").GetProperty("cancel_after_minutes").GetDouble());
    }

    [Fact]
    public async Task Heartbeats_list_the_running_download_then_it_as_ended_and_stats_count_it()
    {
        // Held after two segments: the download is still running while its heartbeat is read.
        site.SegmentDelayMs = 0;
        using var hold = site.HoldSegmentsFrom(2);
        await using var host = await WorkerHost.StartAsync();
        var task = WorkerHost.Download("DEMO-006", site.Playlist("DEMO-006"));
        await host.SendAsync(task);

        JsonElement beats = default;
        await Wait.UntilAsync(async () =>
        {
            beats = await DataAsync(await host.Http.GetAsync("/nassav/api/monitoring/heartbeats"));
            return beats.GetProperty("active_count").GetInt32() == 1;
        }, Patience, "an active heartbeat");
        var active = beats.GetProperty("active")[0];
        Assert.Equal(task.TaskId, active.GetProperty("task_id").GetString());
        Assert.Equal("DEMO-006", active.GetProperty("avid").GetString());
        Assert.Equal("test", active.GetProperty("instance").GetString());
        var health = await DataAsync(await host.Http.GetAsync("/nassav/api/monitoring/lock"));
        Assert.Equal(task.TaskId, health.GetProperty("current_task").GetProperty("task_id").GetString());

        hold.Release();
        await Wait.UntilAsync(() => host.Published<DownloadCompleted>(c => c.TaskId == task.TaskId).Count > 0, Patience, "DownloadCompleted");
        await Wait.UntilAsync(async () =>
        {
            beats = await DataAsync(await host.Http.GetAsync("/nassav/api/monitoring/heartbeats"));
            return beats.GetProperty("active_count").GetInt32() == 0;
        }, Patience, "no active heartbeat");
        Assert.Equal(0, beats.GetProperty("dead_count").GetInt32());
        var recent = beats.GetProperty("recent")[0];
        Assert.Equal(task.TaskId, recent.GetProperty("task_id").GetString());
        Assert.Equal("completed", recent.GetProperty("outcome").GetString());

        var stats = await DataAsync(await host.Http.GetAsync("/nassav/api/monitoring/stats"));
        Assert.Equal(1, stats.GetProperty("completed").GetInt64());
        Assert.Equal(1, stats.GetProperty("acquired").GetInt64());
        Assert.Equal(1.0, stats.GetProperty("success_rate").GetDouble());
        Assert.Equal(0.0, stats.GetProperty("timeout_rate").GetDouble());
        Assert.True(stats.GetProperty("average_hold_seconds").GetDouble() > 0);
    }

    [Fact]
    public async Task A_heartbeat_whose_writer_died_is_listed_as_dead()
    {
        await using var host = await WorkerHost.StartAsync();
        var heartbeats = host.Services.GetService(typeof(Heartbeats)) as Heartbeats;
        var now = DateTimeOffset.UtcNow;
        await heartbeats!.StartedAsync(new Heartbeat("t-dead", Guid.NewGuid(), "DEAD-001", "gone", "gone:1", 7, now, now, "download", 10), default);

        JsonElement beats = default;
        // The heartbeat lives HeartbeatTtlSeconds (10 s here) and is never rewritten.
        await Wait.UntilAsync(async () =>
        {
            beats = await DataAsync(await host.Http.GetAsync("/nassav/api/monitoring/heartbeats"));
            return beats.GetProperty("dead_count").GetInt32() == 1;
        }, Patience, "a dead heartbeat");
        Assert.Equal("t-dead", beats.GetProperty("dead")[0].GetProperty("task_id").GetString());
        Assert.Equal(0, beats.GetProperty("active_count").GetInt32());
    }

    [Fact]
    public async Task Manual_release_needs_a_key_when_configured_and_fences_the_holder()
    {
        const string key = "downloader-monitoring-key-0123456789";
        await using var host = await WorkerHost.StartAsync(("Downloader:Monitoring:ApiKeys:0", key));
        await using var lease = await host.Leases.AcquireAsync(DownloadKeys.Lease, "box-2:attempt", default);

        var denied = await host.Http.PostAsync("/nassav/api/monitoring/lock/release", null);
        await DataAsync(denied, HttpStatusCode.Unauthorized);
        var wrong = new HttpRequestMessage(HttpMethod.Post, "/nassav/api/monitoring/lock/release");
        wrong.Headers.Add("X-Api-Key", "not-the-key-at-all-0000");
        await DataAsync(await host.Http.SendAsync(wrong), HttpStatusCode.Unauthorized);
        Assert.NotNull(await host.Leases.GetHolderAsync(DownloadKeys.Lease, default));

        var request = new HttpRequestMessage(HttpMethod.Post, "/nassav/api/monitoring/lock/release");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        var released = await DataAsync(await host.Http.SendAsync(request));
        Assert.True(released.GetProperty("released").GetBoolean());
        Assert.Equal("box-2:attempt", released.GetProperty("previous_holder").GetString());
        Assert.True(released.GetProperty("epoch").GetInt64() > lease.Epoch);

        // Fenced: the holder learns it lost the lease, and its epoch can no longer act.
        await Wait.UntilAsync(() => lease.Lost.IsCancellationRequested, Patience, "the holder's Lost token");
        Assert.False(await host.Epochs.RunIfCurrentAsync(DownloadKeys.Lease, lease.Epoch, _ => Task.CompletedTask, default));
        var stats = await DataAsync(await host.Http.GetAsync("/nassav/api/monitoring/stats"));
        Assert.Equal(1, stats.GetProperty("manual_releases").GetInt64());

        var again = new HttpRequestMessage(HttpMethod.Post, "/nassav/api/monitoring/lock/release");
        again.Headers.Add("X-Api-Key", key);
        Assert.False((await DataAsync(await host.Http.SendAsync(again))).GetProperty("released").GetBoolean());
    }

    [Fact]
    public async Task The_monitor_warns_then_cancels_the_running_task_as_timed_out()
    {
        // Every segment is held (and the stall watchdog waits ten minutes): only the monitor can end this download.
        site.SegmentDelayMs = 0;
        using var hold = site.HoldSegmentsFrom(0);
        await using var host = await WorkerHost.StartAsync(
            ("Downloader:Monitoring:WarnAfterMinutes", "0.0001"),
            ("Downloader:Monitoring:CancelAfterMinutes", "0.02"),
            ("Downloader:Monitoring:ForceReleaseAfterMinutes", "10"),
            ("Downloader:Engine:Parallelism", "1"));
        var task = WorkerHost.Download("DEMO-010", site.Playlist("DEMO-010"));
        await host.SendAsync(task);
        await Wait.UntilAsync(() => host.Published<DownloadStarted>(s => s.TaskId == task.TaskId).Count > 0, Patience, "DownloadStarted");

        await Wait.UntilAsync(async () => await host.Monitor.CheckOnceAsync(default) == MonitorAction.Warned, Patience, "the warning");
        await Wait.UntilAsync(async () => await host.Monitor.CheckOnceAsync(default) == MonitorAction.CancelRequested, Patience, "the cancel");
        await Wait.UntilAsync(() => host.Published<DownloadFailed>(f => f.TaskId == task.TaskId).Count > 0, Patience, "DownloadFailed");
        var failed = host.Published<DownloadFailed>(f => f.TaskId == task.TaskId).Single();
        Assert.False(failed.Cancelled);
        Assert.StartsWith("下载超时", failed.Message);
        var stats = await DataAsync(await host.Http.GetAsync("/nassav/api/monitoring/stats"));
        Assert.Equal(1, stats.GetProperty("timed_out").GetInt64());
        Assert.Equal(1, stats.GetProperty("warnings").GetInt64());
    }

    [Fact]
    public async Task The_monitor_force_releases_a_holder_past_the_last_tier()
    {
        await using var host = await WorkerHost.StartAsync(
            ("Downloader:Monitoring:WarnAfterMinutes", "0.0001"),
            ("Downloader:Monitoring:CancelAfterMinutes", "0.0001"),
            ("Downloader:Monitoring:ForceReleaseAfterMinutes", "0.0002"));
        await using var lease = await host.Leases.AcquireAsync(DownloadKeys.Lease, "stuck:1", default);
        await Wait.UntilAsync(async () => await host.Monitor.CheckOnceAsync(default) == MonitorAction.ForceReleased, Patience, "the force release");
        await Wait.UntilAsync(() => lease.Lost.IsCancellationRequested, Patience, "the holder's Lost token");
        Assert.Null(await host.Leases.GetHolderAsync(DownloadKeys.Lease, default));
        Assert.True(await host.Epochs.CurrentAsync(DownloadKeys.Lease, default) > lease.Epoch);
    }

    [Fact]
    public async Task Only_the_holder_of_the_monitor_lease_acts()
    {
        await using var host = await WorkerHost.StartAsync();
        await using var other = await host.Leases.AcquireAsync(DownloadKeys.MonitorLease, "other-instance:1", default);
        Assert.Equal(MonitorAction.NotActing, await host.Monitor.CheckOnceAsync(default));
    }
}
