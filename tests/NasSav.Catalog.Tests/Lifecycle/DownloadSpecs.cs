using System.Text.Json;
using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NasSav.Catalog.Tests.Support;
using NasSav.Contracts.Downloads;
using NasSav.Contracts.Queue;
using NasSav.Media.Avids;
using NasSav.Coordination;
using NasSav.Testing;

namespace NasSav.Catalog.Tests.Lifecycle;

/// <summary>The download part of the lifecycle saga, driven through the HTTP endpoints and the downloader's events.</summary>
public sealed class When_an_avid_is_downloaded
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeSeconds(1_732_291_200);

    private static async Task<LifecycleApp> StartAsync(DbKind kind, bool mock = false) =>
        await LifecycleApp.StartAsync(kind, new Dictionary<string, string?>
        {
            ["Downloads:UserAgent"] = "NasSavTest/1.0",
            ["Downloads:EnableMock"] = mock ? "true" : "false",
        });

    private static async Task AddAsync(LifecycleApp t, string avid)
    {
        (await t.Client.SendAsync(HttpMethod.Post, "/resource", $$"""{"avid":"{{avid}}"}""")).Is(201);
        await t.InStateAsync(avid, m => m.Ready);
    }

    private static Guid Id(string avid) => Avid.Parse(avid).CorrelationId;

    private static async Task<string> SubmitAsync(LifecycleApp t, string avid)
    {
        var answer = (await t.Client.SendAsync(HttpMethod.Post, $"/downloads/{avid}")).Is(202);
        Assert.Equal("下载任务已提交", answer.Message);
        var taskId = answer.Data.GetProperty("task_id").GetString()!;
        Assert.Equal($$"""{"avid":"{{avid}}","task_id":"{{taskId}}","status":"pending","file_size":null}""", answer.Data.GetRawText());
        if (t.Downloader.Throw.ContainsKey(avid))
            // The downloader faults at once: the lifecycle may already have left DownloadQueued; it holds the task.
            await t.WaitAsync(() => t.Instance(avid)?.DownloadTaskId == taskId, $"the lifecycle of {avid} to queue {taskId}");
        else
            await t.InStateAsync(avid, m => m.DownloadQueued);
        return taskId;
    }

    private static Task PublishAsync<T>(LifecycleApp t, T message) where T : class => t.Harness.Bus.Publish(message);

    private static DownloadStarted Started(string avid, string taskId, long epoch, string instance = "dl-1") => new()
    {
        CorrelationId = Id(avid), Avid = avid, TaskId = taskId, Epoch = epoch, Instance = instance, StartedAt = At,
    };

    private static DownloadCompleted Completed(string avid, string taskId, long epoch, long size = 4096) => new()
    {
        CorrelationId = Id(avid), Avid = avid, TaskId = taskId, Epoch = epoch, FileSize = size, DurationSeconds = 3599.6, CompletedAt = At,
    };

    private static DownloadFailed Failed(string avid, string taskId, long epoch, string message = "下载失败: segment 12") => new()
    {
        CorrelationId = Id(avid), Avid = avid, TaskId = taskId, Epoch = epoch, Message = message, Error = "HttpRequestException: 404",
    };

    private static async Task<JsonElement> QueueAsync(LifecycleApp t) => (await t.Client.ApiGetAsync("/tasks/queue/status")).Is(200).Data;

    private static async Task<(DownloadTaskEnded Ended, bool? FileExistsThen)> EndedAsync(LifecycleApp t, string taskId)
    {
        await Wait.UntilAsync(() => t.Downloader.Ended.Any(e => e.Ended.TaskId == taskId), LifecycleApp.Patience, $"DownloadTaskEnded of {taskId}");
        return t.Downloader.Ended.First(e => e.Ended.TaskId == taskId);
    }

    private static async Task<T> WaitForAsync<T>(Func<T?> probe, string what)
    {
        T? value = default;
        await Wait.UntilAsync(() => (value = probe()) is not null, LifecycleApp.Patience, what);
        return value!;
    }

    /// <summary>Waits (bounded) until the harness recorded a matching message (Any() gives up after a short inactivity).</summary>
    private static Task SeenAsync<T>(IReceivedMessageList messages, Func<IReceivedMessage<T>, bool> match) where T : class =>
        Wait.UntilAsync(() => messages.Select<T>().Any(match), LifecycleApp.Patience, $"a matching {typeof(T).Name}");

    private static Task SeenAsync<T>(IPublishedMessageList messages, Func<IPublishedMessage<T>, bool> match) where T : class =>
        Wait.UntilAsync(() => messages.Select<T>().Any(match), LifecycleApp.Patience, $"a matching {typeof(T).Name}");

    [Theory, BothDatabases]
    public async Task A_submit_queues_one_DownloadVideo_with_the_sources_headers_and_a_second_submit_is_409(DbKind kind)
    {
        await using var t = await StartAsync(kind);
        await AddAsync(t, "DLQ-001");
        (await t.Client.SendAsync(HttpMethod.Post, "/source/cookie", """{"source":"Jable","cookie":"cf=1; sid=abc"}""")).Is(200);

        var taskId = await SubmitAsync(t, "DLQ-001");
        var duplicate = (await t.Client.SendAsync(HttpMethod.Post, "/downloads/dlq-001")).Is(409);
        Assert.Equal("下载任务已存在", duplicate.Message);
        Assert.Equal(JsonValueKind.Null, duplicate.Data.ValueKind);

        var command = await WaitForAsync(() => t.Downloader.Downloads.FirstOrDefault(), "DownloadVideo");
        Assert.Equal((taskId, "DLQ-001", Id("DLQ-001"), false), (command.TaskId, command.Avid, command.CorrelationId, command.Mock));
        Assert.Equal("https://cdn.example/dlq-001/index.m3u8", command.M3u8Url);
        Assert.Equal("https://src.example/v/DLQ-001", command.Headers["Referer"]);
        Assert.Equal("cf=1; sid=abc", command.Headers["Cookie"]);
        Assert.Equal("NasSavTest/1.0", command.Headers["User-Agent"]);

        var queue = await QueueAsync(t);
        Assert.Equal(1, queue.GetProperty("pending_count").GetInt32());
        Assert.Equal(0, queue.GetProperty("active_count").GetInt32());
        var pending = queue.GetProperty("pending_tasks")[0];
        Assert.Equal((taskId, "DLQ-001", "PENDING", "download"),
            (pending.GetProperty("task_id").GetString(), pending.GetProperty("avid").GetString(), pending.GetProperty("state").GetString(), pending.GetProperty("task_type").GetString()));
        await SeenAsync<QueueStatusChanged>(t.Harness.Published, x => x.Context.Message.Status.PendingTasks.Any(p => p.TaskId == taskId));

        // Dedup is the saga's: the second submit enqueued nothing.
        await SeenAsync<SubmitDownload>(t.Harness.Consumed, x => x.Context.Message.Avid == "DLQ-001");
        Assert.Single(t.Downloader.Downloads);
        var saga = t.Instance("DLQ-001")!;
        Assert.Equal((taskId, 0L, false), (saga.DownloadTaskId, saga.DownloadEpoch, saga.DownloadMock));
        Assert.NotNull(saga.DownloadQueuedAt);
        // A refresh or an add while the download holds the AVID are refused.
        Assert.Equal(409, (await t.Client.SendAsync(HttpMethod.Post, "/resource/refresh/DLQ-001", "{}")).Code);
    }

    [Theory, BothDatabases]
    public async Task A_row_without_a_lifecycle_is_downloaded_with_its_source_page_as_Referer(DbKind kind)
    {
        await using var t = await StartAsync(kind);
        await AddAsync(t, "DLR-001");
        // Only the row is left (its lifecycle was lost, or the row was imported or predates the lifecycle).
        await t.App.WithDbAsync(db => db.ResourceLifecycles.Where(x => x.Avid == "DLR-001").ExecuteDeleteAsync());
        Assert.Null(t.Instance("DLR-001"));

        await SubmitAsync(t, "DLR-001");
        var command = await WaitForAsync(() => t.Downloader.Downloads.FirstOrDefault(), "DownloadVideo");
        Assert.Equal("https://src.example/v/DLR-001", command.Headers.GetValueOrDefault("Referer"));
    }

    [Theory, BothDatabases]
    public async Task Start_progress_and_completion_record_the_video_before_task_completed_goes_out(DbKind kind)
    {
        await using var t = await StartAsync(kind);
        await AddAsync(t, "DLC-001");
        var taskId = await SubmitAsync(t, "DLC-001");

        await PublishAsync(t, Started("DLC-001", taskId, 1));
        var saga = await t.InStateAsync("DLC-001", m => m.Downloading);
        Assert.Equal((1L, "dl-1"), (saga.DownloadEpoch, saga.DownloadInstance));

        // Progress comes from the snapshot the downloader keeps in the shared store.
        var store = t.App.Services.GetRequiredService<IExpiringStore>();
        await store.SetAsync(DownloadProgressKeys.For("DLC-001"),
            """{"percent":42.5,"speed":"3.2 MB/s","eta":"00:01:05","updated_at":1732291260.5,"epoch":1,"phase":"download"}""", TimeSpan.FromMinutes(5));
        var queue = await QueueAsync(t);
        Assert.Equal(1, queue.GetProperty("active_count").GetInt32());
        var active = queue.GetProperty("active_tasks")[0];
        Assert.Equal("STARTED", active.GetProperty("state").GetString());
        Assert.Equal("""{"percent":42.5,"speed":"3.2 MB/s","eta":"00:01:05","updated_at":1732291260.5}""", active.GetProperty("progress").GetRawText());

        await PublishAsync(t, Completed("DLC-001", taskId, 1));
        await t.InStateAsync("DLC-001", m => m.Downloaded);
        var row = await t.App.FindAsync("DLC-001");
        Assert.True(row!.FileExists);
        Assert.Equal(4096, row.FileSize);
        Assert.Equal(3600, row.Duration);
        Assert.Equal(At.UtcDateTime, DateTime.SpecifyKind(row.VideoSavedAt!.Value, DateTimeKind.Utc));

        var (ended, fileExistsThen) = await EndedAsync(t, taskId);
        Assert.True(fileExistsThen, "the database said downloaded when DownloadTaskEnded arrived");
        Assert.Equal((true, false, "下载完成"), (ended.Succeeded, ended.Mock, ended.Message));
        Assert.Equal(0, (await QueueAsync(t)).GetProperty("total_count").GetInt32());

        // Downloaded with the file present: 409 with the size; with the file gone: downloaded again.
        t.App.WriteMedia("video/DLC-001.mp4", 64);
        var again = (await t.Client.SendAsync(HttpMethod.Post, "/downloads/DLC-001")).Is(409);
        Assert.Equal("视频已下载", again.Message);
        Assert.Equal("""{"avid":"DLC-001","task_id":null,"status":"completed","file_size":4096}""", again.Data.GetRawText());
        File.Delete(Path.Combine(t.App.MediaRoot, "video/DLC-001.mp4"));
        var second = await SubmitAsync(t, "DLC-001");
        Assert.NotEqual(taskId, second);
        Assert.False((await t.App.FindAsync("DLC-001"))!.FileExists);
    }

    [Theory, BothDatabases]
    public async Task Deleting_a_downloaded_video_takes_the_lifecycle_back_to_ready(DbKind kind)
    {
        await using var t = await StartAsync(kind);
        await AddAsync(t, "DLV-001");
        var taskId = await SubmitAsync(t, "DLV-001");
        await PublishAsync(t, Completed("DLV-001", taskId, 0));
        await t.InStateAsync("DLV-001", m => m.Downloaded);
        t.App.WriteMedia("video/DLV-001.mp4", 64);

        (await t.Client.SendAsync(HttpMethod.Delete, "/downloads/DLV-001")).Is(200);
        // The row says "not downloaded" and the lifecycle follows it.
        Assert.False((await t.App.FindAsync("DLV-001"))!.FileExists);
        await t.InStateAsync("DLV-001", m => m.Ready);
    }

    [Theory, BothDatabases]
    public async Task Events_of_an_older_epoch_are_ignored_and_a_newer_start_is_a_takeover(DbKind kind)
    {
        await using var t = await StartAsync(kind);
        await AddAsync(t, "DLE-001");
        var taskId = await SubmitAsync(t, "DLE-001");

        await PublishAsync(t, Started("DLE-001", taskId, 5));
        await t.InStateAsync("DLE-001", m => m.Downloading);
        await PublishAsync(t, Started("DLE-001", taskId, 4, "dl-old"));
        await SeenAsync<DownloadStarted>(t.Saga.Consumed, x => x.Context.Message.Epoch == 4);
        await PublishAsync(t, Started("DLE-001", taskId, 6, "dl-2")); // the lease moved after a crash
        await Wait.UntilAsync(() => t.Instance("DLE-001")!.DownloadEpoch == 6, LifecycleApp.Patience, "the takeover's epoch");
        Assert.Equal("dl-2", t.Instance("DLE-001")!.DownloadInstance);

        // The replaced holder's late completion and failure change nothing.
        await PublishAsync(t, Completed("DLE-001", taskId, 5));
        await PublishAsync(t, Failed("DLE-001", taskId, 5));
        await SeenAsync<DownloadCompleted>(t.Saga.Consumed, x => x.Context.Message.Epoch == 5);
        await SeenAsync<DownloadFailed>(t.Saga.Consumed, x => x.Context.Message.Epoch == 5);
        // Another task's completion neither.
        await PublishAsync(t, Completed("DLE-001", "someone-else", 9));
        await SeenAsync<DownloadCompleted>(t.Saga.Consumed, x => x.Context.Message.TaskId == "someone-else");
        Assert.Equal("Downloading", t.Instance("DLE-001")!.CurrentState);
        Assert.False((await t.App.FindAsync("DLE-001"))!.FileExists);

        await PublishAsync(t, Completed("DLE-001", taskId, 6, size: 777));
        await t.InStateAsync("DLE-001", m => m.Downloaded);
        Assert.Equal(777, (await t.App.FindAsync("DLE-001"))!.FileSize);
        Assert.True((await EndedAsync(t, taskId)).Ended.Succeeded);
        Assert.Single(t.Downloader.Ended);
    }

    [Theory, BothDatabases]
    public async Task A_failure_or_a_fault_returns_to_ready_with_the_reason_and_a_resubmit_works(DbKind kind)
    {
        await using var t = await StartAsync(kind);
        await AddAsync(t, "DLF-001");
        var taskId = await SubmitAsync(t, "DLF-001");
        await PublishAsync(t, Started("DLF-001", taskId, 1));
        await t.InStateAsync("DLF-001", m => m.Downloading);
        await PublishAsync(t, Failed("DLF-001", taskId, 1));
        var saga = await t.InStateAsync("DLF-001", m => m.Ready);
        Assert.Equal("下载失败: segment 12 (HttpRequestException: 404)", saga.DownloadError);
        var (ended, fileExists) = await EndedAsync(t, taskId);
        Assert.Equal((false, false, "下载失败: segment 12", "HttpRequestException: 404"), (ended.Succeeded, ended.Cancelled, ended.Message, ended.Error));
        Assert.False(fileExists);

        // The downloader's consumer throws: Fault<DownloadVideo> ends the task too.
        t.Downloader.Throw["DLF-001"] = "disk on fire";
        var second = await SubmitAsync(t, "DLF-001");
        var (faulted, _) = await EndedAsync(t, second);
        Assert.False(faulted.Succeeded);
        Assert.StartsWith("下载异常: ", faulted.Message);
        Assert.Contains("disk on fire", faulted.Error);
        await t.InStateAsync("DLF-001", m => m.Ready);

        t.Downloader.Throw.Clear();
        await SubmitAsync(t, "DLF-001");
    }

    [Theory, BothDatabases]
    public async Task Cancel_stops_the_task_and_a_late_start_of_it_is_cancelled_again(DbKind kind)
    {
        await using var t = await StartAsync(kind);
        await AddAsync(t, "DLX-001");
        var taskId = await SubmitAsync(t, "DLX-001");

        var cancelled = (await t.Client.SendAsync(HttpMethod.Post, "/downloads/DLX-001/cancel")).Is(200);
        Assert.Equal("下载已取消", cancelled.Message);
        Assert.Equal($$"""{"avid":"DLX-001","task_id":"{{taskId}}","status":"cancelled"}""", cancelled.Data.GetRawText());
        await t.InStateAsync("DLX-001", m => m.Ready);
        var cancel = await WaitForAsync(() => t.Downloader.Cancels.FirstOrDefault(), "CancelDownload");
        Assert.Equal(taskId, cancel.TaskId);
        var (ended, _) = await EndedAsync(t, taskId);
        Assert.Equal((false, true), (ended.Succeeded, ended.Cancelled));

        Assert.Equal("DLX-001 没有正在进行的下载任务", (await t.Client.SendAsync(HttpMethod.Post, "/downloads/DLX-001/cancel")).Is(404).Message);
        Assert.Equal(404, (await t.Client.SendAsync(HttpMethod.Post, "/downloads/NOPE-404/cancel")).Is(404).Code);
        (await t.Client.SendAsync(HttpMethod.Post, "/downloads/a%20b/cancel")).Is(400);

        // The task was still waiting in the downloader's queue and starts anyway: it is told to stop.
        await PublishAsync(t, Started("DLX-001", taskId, 3));
        await Wait.UntilAsync(() => t.Downloader.Cancels.Count == 2, LifecycleApp.Patience, "a second CancelDownload");
        Assert.Equal("Ready", t.Instance("DLX-001")!.CurrentState);
    }

    [Theory, BothDatabases]
    public async Task Deleting_the_resource_or_its_video_while_downloading_cancels_the_task(DbKind kind)
    {
        await using var t = await StartAsync(kind);
        await AddAsync(t, "DLD-001");
        await AddAsync(t, "DLD-002");
        var first = await SubmitAsync(t, "DLD-001");
        var second = await SubmitAsync(t, "DLD-002");
        await PublishAsync(t, Started("DLD-001", first, 1));
        await t.InStateAsync("DLD-001", m => m.Downloading);

        (await t.Client.SendAsync(HttpMethod.Delete, "/resource/DLD-001")).Is(200);
        await Wait.UntilAsync(() => t.Downloader.Cancels.Any(c => c.TaskId == first), LifecycleApp.Patience, "CancelDownload of the deleted resource");
        await Wait.UntilAsync(() => t.Instance("DLD-001") is null, LifecycleApp.Patience, "the saga to finalize");
        Assert.True((await EndedAsync(t, first)).Ended.Cancelled);

        // DELETE /downloads/{avid}: the queued task is cancelled, then the (missing) video answers 404.
        Assert.Equal("视频 DLD-002 不存在", (await t.Client.SendAsync(HttpMethod.Delete, "/downloads/DLD-002")).Is(404).Message);
        await Wait.UntilAsync(() => t.Downloader.Cancels.Any(c => c.TaskId == second), LifecycleApp.Patience, "CancelDownload of the queued task");
        await t.InStateAsync("DLD-002", m => m.Ready);
        Assert.Equal(0, (await QueueAsync(t)).GetProperty("total_count").GetInt32());
    }

    [Theory, BothDatabases]
    public async Task A_mock_goes_through_the_same_states_without_touching_the_video_columns(DbKind kind)
    {
        await using var t = await StartAsync(kind, mock: true);
        await AddAsync(t, "DLM-001");

        var answer = (await t.Client.SendAsync(HttpMethod.Post, "/downloads/mock/DLM-001", """{"duration":5}""")).Is(202);
        Assert.Equal("模拟下载任务已提交", answer.Message);
        var taskId = answer.Data.GetProperty("task_id").GetString()!;
        Assert.Equal($$"""{"avid":"DLM-001","task_id":"{{taskId}}","status":"pending","duration":5,"mock":true}""", answer.Data.GetRawText());
        Assert.Equal("下载任务已存在", (await t.Client.SendAsync(HttpMethod.Post, "/downloads/mock/DLM-001", "{}")).Is(409).Message);
        Assert.Equal("下载任务已存在", (await t.Client.SendAsync(HttpMethod.Post, "/downloads/DLM-001")).Is(409).Message);
        var command = await WaitForAsync(() => t.Downloader.Downloads.FirstOrDefault(), "DownloadVideo");
        Assert.Equal((true, 5), (command.Mock, command.MockDurationSeconds));
        Assert.Equal("mock", (await QueueAsync(t)).GetProperty("pending_tasks")[0].GetProperty("task_type").GetString());

        await PublishAsync(t, Started("DLM-001", taskId, 0) with { Mock = true });
        await t.InStateAsync("DLM-001", m => m.Downloading);
        await PublishAsync(t, Completed("DLM-001", taskId, 0) with { Mock = true });
        await t.InStateAsync("DLM-001", m => m.Ready);
        var (ended, _) = await EndedAsync(t, taskId);
        Assert.Equal((true, true, "模拟下载完成"), (ended.Succeeded, ended.Mock, ended.Message));
        var row = await t.App.FindAsync("DLM-001");
        Assert.Equal((false, (long?)null, (DateTime?)null), (row!.FileExists, row.FileSize, row.VideoSavedAt));
    }
}
