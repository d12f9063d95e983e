using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using MassTransit;
using NasSav.Contracts.Downloads;
using NasSav.Testing;
using Npgsql;

namespace NasSav.SystemTests;

/// <summary>
/// A download through the distributed set (catalog and gateway processes on PostgreSQL and RabbitMQ), with this
/// test process playing the downloader on the bus: submit and dedup through the gateway, the frames on the
/// WebSocket, and the database saying "downloaded" by the time task_completed arrives.
/// </summary>
[Collection(DistributedCollection.Name)]
public sealed class DownloadFlowTests(DistributedSet set) : IClassFixture<DistributedSet>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Answers DownloadVideo like the downloader: started, then (once released) progress and completion.</summary>
    private sealed class PlayDownloader(TaskCompletionSource release, TaskCompletionSource<DownloadVideo> received) : IConsumer<DownloadVideo>
    {
        public async Task Consume(ConsumeContext<DownloadVideo> context)
        {
            var m = context.Message;
            received.TrySetResult(m);
            await context.Publish(new DownloadStarted
            {
                CorrelationId = m.CorrelationId, Avid = m.Avid, TaskId = m.TaskId, Epoch = 1, Instance = "system-test", StartedAt = DateTimeOffset.UtcNow,
            });
            await release.Task.WaitAsync(Patience);
            await context.Publish(new DownloadProgressed
            {
                CorrelationId = m.CorrelationId, Avid = m.Avid, TaskId = m.TaskId, Epoch = 1, Phase = "download", Percent = 50,
                Speed = "3.2 MB/s", Eta = "00:00:05", At = DateTimeOffset.UtcNow,
            });
            await context.Publish(new DownloadCompleted
            {
                CorrelationId = m.CorrelationId, Avid = m.Avid, TaskId = m.TaskId, Epoch = 1, FileSize = 123_456, DurationSeconds = 61,
                CompletedAt = DateTimeOffset.UtcNow,
            });
        }
    }

    [Fact]
    public Task Submit_dedup_frames_and_the_row_before_task_completed() => set.CheckAsync(async () =>
    {
        await using (var connection = new NpgsqlConnection(set.DatabaseConnectionString))
        {
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand("""
                INSERT INTO resources (avid, original_title, translation_status, source, release_date, file_exists, watched, is_favorite,
                                       metadata_created_at, metadata_updated_at, created_at, m3u8)
                VALUES ('SYS-001', '标题', 'pending', 'Jable', '', false, false, false, now(), now(), now(), 'https://cdn.example/sys-001.m3u8')
                """, connection);
            await insert.ExecuteNonQueryAsync();
        }

        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var received = new TaskCompletionSource<DownloadVideo>(TaskCreationOptions.RunContinuationsAsynchronously);
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(new Uri(set.AmqpUri));
            cfg.ReceiveEndpoint("system-test-downloader", e =>
            {
                e.AutoDelete = true;
                e.Durable = false;
                e.Consumer(() => new PlayDownloader(release, received));
            });
        });
        await bus.StartAsync(new CancellationTokenSource(Patience).Token);
        try
        {
            using var ws = new ClientWebSocket();
            using (var connect = new CancellationTokenSource(Patience))
                await ws.ConnectAsync(new UriBuilder(set.Gateway.BaseUri) { Scheme = "ws", Path = "/nassav/ws/tasks/" }.Uri, connect.Token);
            await ReceiveUntilAsync(ws, f => Type(f) == "queue_status");

            var submit = await PostAsync("nassav/api/downloads/SYS-001");
            Assert.Equal(202, submit.Code);
            var taskId = submit.Data.GetProperty("task_id").GetString()!;
            var command = await received.Task.WaitAsync(Patience);
            Assert.Equal((taskId, "https://cdn.example/sys-001.m3u8"), (command.TaskId, command.M3u8Url));

            var started = await ReceiveUntilAsync(ws, f => Type(f) == "task_started");
            Assert.Equal($$"""{"task_id":"{{taskId}}","avid":"SYS-001","status":"started"}""", started.GetProperty("data").GetRawText());
            await ReceiveUntilAsync(ws, f => Type(f) == "queue_status" && f.GetProperty("data").GetProperty("active_count").GetInt32() == 1);
            var duplicate = await PostAsync("nassav/api/downloads/SYS-001");
            Assert.Equal((409, "下载任务已存在"), (duplicate.Code, duplicate.Message));

            release.SetResult();
            var progress = await ReceiveUntilAsync(ws, f => Type(f) == "progress_update");
            Assert.Equal($$"""{"task_id":"{{taskId}}","avid":"SYS-001","percent":50,"speed":"3.2 MB/s","eta":"00:00:05","phase":"download"}""", progress.GetProperty("data").GetRawText());
            var completed = await ReceiveUntilAsync(ws, f => Type(f) == "task_completed");
            // What a UI refetching right now would read.
            await using (var connection = new NpgsqlConnection(set.DatabaseConnectionString))
            {
                await connection.OpenAsync();
                await using var read = new NpgsqlCommand("SELECT file_exists, file_size, duration FROM resources WHERE avid = 'SYS-001'", connection);
                await using var row = await read.ExecuteReaderAsync();
                Assert.True(await row.ReadAsync());
                Assert.Equal((true, 123_456L, 61), (row.GetBoolean(0), row.GetInt64(1), row.GetInt32(2)));
            }
            Assert.Equal($$"""{"task_id":"{{taskId}}","avid":"SYS-001","status":"success","message":"下载完成"}""", completed.GetProperty("data").GetRawText());
            await ReceiveUntilAsync(ws, f => Type(f) == "queue_status" && f.GetProperty("data").GetProperty("total_count").GetInt32() == 0);
        }
        finally
        {
            await bus.StopAsync();
        }
    });

    /// <summary>Records the commands it receives and answers nothing (a downloader that has only just started).</summary>
    private sealed class RecordCommands(System.Collections.Concurrent.ConcurrentQueue<DownloadVideo> seen) : IConsumer<DownloadVideo>
    {
        public Task Consume(ConsumeContext<DownloadVideo> context)
        {
            seen.Enqueue(context.Message);
            return Task.CompletedTask;
        }
    }

    [Fact]
    public Task A_submit_while_no_downloader_has_ever_started_waits_in_the_download_queue() => set.CheckAsync(async () =>
    {
        await InsertResourceAsync("SYS-002");
        var submit = await PostAsync("nassav/api/downloads/SYS-002");
        Assert.Equal(202, submit.Code);
        var taskId = submit.Data.GetProperty("task_id").GetString()!;

        // The downloader's own endpoint, arriving late: same queue, same single-active-consumer argument (a
        // mismatch would make the broker refuse the declaration).
        var seen = new System.Collections.Concurrent.ConcurrentQueue<DownloadVideo>();
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(new Uri(set.AmqpUri));
            cfg.ReceiveEndpoint(DownloadVideo.QueueName, e =>
            {
                e.SingleActiveConsumer = true;
                e.Consumer(() => new RecordCommands(seen));
            });
        });
        await bus.StartAsync(new CancellationTokenSource(Patience).Token);
        try
        {
            await NasSav.Testing.Wait.UntilAsync(() => seen.Any(c => c.TaskId == taskId), Patience, "the command published before any downloader started");
            // Leave the queue empty for the other tests of this set.
            Assert.Equal(200, (await PostAsync("nassav/api/downloads/SYS-002/cancel")).Code);
        }
        finally
        {
            await bus.StopAsync();
        }
    });

    private async Task InsertResourceAsync(string avid)
    {
        await using var connection = new NpgsqlConnection(set.DatabaseConnectionString);
        await connection.OpenAsync();
        await using var insert = new NpgsqlCommand($"""
            INSERT INTO resources (avid, original_title, translation_status, source, release_date, file_exists, watched, is_favorite,
                                   metadata_created_at, metadata_updated_at, created_at, m3u8)
            VALUES ('{avid}', '标题', 'pending', 'Jable', '', false, false, false, now(), now(), now(), 'https://cdn.example/{avid.ToLowerInvariant()}.m3u8')
            """, connection);
        await insert.ExecuteNonQueryAsync();
    }

    private async Task<(int Code, string Message, JsonElement Data)> PostAsync(string path)
    {
        using var response = await set.Http.PostAsync(new Uri(set.Gateway.BaseUri, path), new StringContent("", Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        using var doc = JsonDocument.Parse(body);
        var code = doc.RootElement.GetProperty("code").GetInt32();
        Assert.True((int)response.StatusCode == code, $"HTTP {(int)response.StatusCode} with envelope {body}");
        return (code, doc.RootElement.GetProperty("message").GetString()!, doc.RootElement.GetProperty("data").Clone());
    }

    private static string? Type(JsonElement frame) => frame.GetProperty("type").GetString();

    private static Task<JsonElement> ReceiveUntilAsync(WebSocket socket, Func<JsonElement, bool> match) => socket.ReceiveUntilAsync(match, Patience);
}
