using System.Net.WebSockets;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using NasSav.Contracts.Downloads;
using NasSav.Contracts.Queue;
using NasSav.Gateway.Tests.Support;
using NasSav.Gateway.WebSockets;
using NasSav.Testing;

namespace NasSav.Gateway.Tests;

/// <summary>Download events published on the bus reach a real WebSocket client as the reference's frames, field for field.</summary>
public sealed class TaskFrameTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeSeconds(1_732_291_200);

    private static async Task<(GatewayServer Gateway, ClientWebSocket Socket, IBus Bus)> ConnectAsync()
    {
        var gateway = await GatewayServer.StartAsync();
        var socket = new ClientWebSocket();
        using (var cts = new CancellationTokenSource(Patience)) await socket.ConnectAsync(gateway.WebSocketUri(), cts.Token);
        await socket.ReceiveAsync(); // the connect snapshot
        var hub = gateway.Services.GetRequiredService<FeedHub>();
        await Wait.UntilAsync(() => hub.Count == 1, Patience, "the connection to be registered");
        return (gateway, socket, gateway.Services.GetRequiredService<IBus>());
    }

    private static DownloadStarted Started(string taskId, long epoch, bool mock = false) => new()
    {
        CorrelationId = Guid.NewGuid(), Avid = "ABC-123", TaskId = taskId, Epoch = epoch, Instance = "dl-1", Mock = mock, StartedAt = At,
    };

    private static DownloadProgressed Progress(string taskId, long epoch, double percent) => new()
    {
        CorrelationId = Guid.NewGuid(), Avid = "ABC-123", TaskId = taskId, Epoch = epoch, Phase = "download", Percent = percent,
        Speed = "3.2 MB/s", Eta = "00:01:05", At = At,
    };

    private static string Keys(JsonElement data) => string.Join(",", data.EnumerateObject().Select(p => p.Name));

    [Fact]
    public async Task A_download_gives_task_started_flat_progress_updates_and_task_completed()
    {
        var (gateway, socket, bus) = await ConnectAsync();
        await using var _ = gateway;
        using var __ = socket;

        await bus.Publish(Started("t-1", 3));
        var started = await socket.ReceiveAsync();
        Assert.Equal("task_started", started.GetProperty("type").GetString());
        Assert.Equal("""{"task_id":"t-1","avid":"ABC-123","status":"started"}""", started.GetProperty("data").GetRawText());

        await bus.Publish(Progress("t-1", 3, 12.5));
        var progress = await socket.ReceiveAsync();
        Assert.Equal("progress_update", progress.GetProperty("type").GetString());
        Assert.Equal("""{"task_id":"t-1","avid":"ABC-123","percent":12.5,"speed":"3.2 MB/s","eta":"00:01:05","phase":"download"}""", progress.GetProperty("data").GetRawText());

        await bus.Publish(new DownloadTaskEnded { Avid = "ABC-123", TaskId = "t-1", Succeeded = true, Message = "下载完成" });
        var completed = await socket.ReceiveAsync();
        Assert.Equal("task_completed", completed.GetProperty("type").GetString());
        Assert.Equal("""{"task_id":"t-1","avid":"ABC-123","status":"success","message":"下载完成"}""", completed.GetProperty("data").GetRawText());

        // The queue_status after it is catalog's QueueStatusChanged, on the same ordered feed queue.
        await bus.Publish(new QueueStatusChanged { Status = new QueueStatus() });
        Assert.Equal("queue_status", (await socket.ReceiveAsync()).GetProperty("type").GetString());
    }

    [Fact]
    public async Task Progress_of_an_epoch_older_than_the_latest_start_is_dropped()
    {
        var (gateway, socket, bus) = await ConnectAsync();
        await using var _ = gateway;
        using var __ = socket;

        await bus.Publish(Started("t-1", 5));
        Assert.Equal("task_started", (await socket.ReceiveAsync()).GetProperty("type").GetString());
        await bus.Publish(Started("t-1", 6)); // a takeover after a crash
        Assert.Equal("task_started", (await socket.ReceiveAsync()).GetProperty("type").GetString());
        await bus.Publish(Started("t-1", 5)); // a late duplicate of the replaced holder's start: no frame
        await bus.Publish(Progress("t-1", 5, 90)); // the replaced holder: dropped
        await bus.Publish(Progress("t-1", 6, 40));
        var frame = await socket.ReceiveAsync();
        Assert.Equal("progress_update", frame.GetProperty("type").GetString());
        Assert.Equal(40, frame.GetProperty("data").GetProperty("percent").GetDouble());
    }

    [Fact]
    public async Task Progress_after_the_end_is_dropped_and_a_mock_at_epoch_0_after_a_real_task_is_shown()
    {
        var (gateway, socket, bus) = await ConnectAsync();
        await using var _ = gateway;
        using var __ = socket;

        await bus.Publish(Started("t-real", 7));
        Assert.Equal("task_started", (await socket.ReceiveAsync()).GetProperty("type").GetString());
        await bus.Publish(new DownloadTaskEnded { Avid = "ABC-123", TaskId = "t-real", Succeeded = true, Message = "下载完成" });
        Assert.Equal("task_completed", (await socket.ReceiveAsync()).GetProperty("type").GetString());
        await bus.Publish(Progress("t-real", 7, 99)); // a straggler: dropped

        await bus.Publish(Started("t-mock", 0, mock: true));
        var started = await socket.ReceiveAsync();
        Assert.Equal("task_started", started.GetProperty("type").GetString());
        Assert.Equal("t-mock", started.GetProperty("data").GetProperty("task_id").GetString());
        await bus.Publish(Progress("t-mock", 0, 10));
        var progress = await socket.ReceiveAsync();
        Assert.Equal(("progress_update", "t-mock"), (progress.GetProperty("type").GetString(), progress.GetProperty("data").GetProperty("task_id").GetString()));
    }

    [Fact]
    public async Task Failures_carry_message_and_error_and_mocks_complete_with_status_completed()
    {
        var (gateway, socket, bus) = await ConnectAsync();
        await using var _ = gateway;
        using var __ = socket;

        await bus.Publish(new DownloadTaskEnded
        {
            Avid = "ABC-123", TaskId = "t-2", Succeeded = false, Message = "下载失败: segment 12", Error = "HttpRequestException: 404",
        });
        var failed = await socket.ReceiveAsync();
        Assert.Equal("task_failed", failed.GetProperty("type").GetString());
        Assert.Equal("""{"task_id":"t-2","avid":"ABC-123","status":"failed","message":"下载失败: segment 12","error":"HttpRequestException: 404"}""",
            failed.GetProperty("data").GetRawText());

        await bus.Publish(new DownloadTaskEnded { Avid = "ABC-123", TaskId = "t-3", Succeeded = false, Cancelled = true, Message = "下载已取消" });
        var cancelled = await socket.ReceiveAsync();
        Assert.Equal("task_id,avid,status,message,error", Keys(cancelled.GetProperty("data")));
        Assert.Equal(JsonValueKind.Null, cancelled.GetProperty("data").GetProperty("error").ValueKind);

        await bus.Publish(Started("t-4", 0, mock: true));
        Assert.Equal("task_started", (await socket.ReceiveAsync()).GetProperty("type").GetString());
        await bus.Publish(new DownloadTaskEnded { Avid = "ABC-123", TaskId = "t-4", Succeeded = true, Mock = true, Message = "模拟下载完成" });
        var mock = await socket.ReceiveAsync();
        Assert.Equal("task_completed", mock.GetProperty("type").GetString());
        Assert.Equal("""{"task_id":"t-4","avid":"ABC-123","status":"completed","message":"模拟下载完成"}""", mock.GetProperty("data").GetRawText());
        Assert.Equal(WebSocketState.Open, socket.State);
    }
}
