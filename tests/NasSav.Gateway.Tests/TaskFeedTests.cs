using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using NasSav.Contracts.Queue;
using NasSav.Gateway.Tests.Support;
using NasSav.Gateway.WebSockets;
using NasSav.Testing;

namespace NasSav.Gateway.Tests;

public sealed class TaskFeedTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private static readonly DateTimeOffset Created = DateTimeOffset.FromUnixTimeMilliseconds(1_732_291_200_250);

    private static QueueStatus SampleQueue() => new()
    {
        ActiveTasks =
        [
            new QueuedTask
            {
                TaskId = "t-1", Avid = "ABC-123", State = "STARTED", TaskType = "download", CreatedAt = Created,
                UpdatedAt = Created.AddSeconds(5), Title = "タイトル",
                Progress = new TaskProgress { Percent = 42.5, Speed = "3.2 MB/s", Eta = "", UpdatedAt = Created.AddSeconds(6) },
            },
        ],
        PendingTasks =
        [
            new QueuedTask { TaskId = "t-3", Avid = "XYZ-003", State = "PENDING", TaskType = "mock", CreatedAt = Created.AddSeconds(20) },
            new QueuedTask { TaskId = "t-2", Avid = "XYZ-002", State = "PENDING", TaskType = "download", CreatedAt = Created.AddSeconds(10) },
        ],
    };

    private static async Task<ClientWebSocket> ConnectAsync(GatewayServer gateway, string path = "/nassav/ws/tasks/", string? origin = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (origin is not null) socket.Options.SetRequestHeader("Origin", origin);
        using var cts = new CancellationTokenSource(Patience);
        await socket.ConnectAsync(gateway.WebSocketUri(path), cts.Token);
        return socket;
    }

    [Fact]
    public async Task Sends_queue_status_in_the_reference_shape_on_connect()
    {
        await using var gateway = await GatewayServer.StartAsync();
        gateway.Catalog!.Current = SampleQueue();
        using var socket = await ConnectAsync(gateway);

        var frame = await socket.ReceiveAsync();
        Assert.Equal("queue_status", frame.GetProperty("type").GetString());
        var data = frame.GetProperty("data");
        Assert.Equal(1, data.GetProperty("active_count").GetInt32());
        Assert.Equal(2, data.GetProperty("pending_count").GetInt32());
        Assert.Equal(3, data.GetProperty("total_count").GetInt32());

        var active = data.GetProperty("active_tasks")[0];
        Assert.Equal("t-1", active.GetProperty("task_id").GetString());
        Assert.Equal("ABC-123", active.GetProperty("avid").GetString());
        Assert.Equal("STARTED", active.GetProperty("state").GetString());
        Assert.Equal("download", active.GetProperty("task_type").GetString());
        Assert.Equal(1_732_291_200.25, active.GetProperty("created_at").GetDouble());
        Assert.Equal(1_732_291_205.25, active.GetProperty("updated_at").GetDouble());
        Assert.Equal("タイトル", active.GetProperty("title").GetString());
        var progress = active.GetProperty("progress");
        Assert.Equal(JsonValueKind.Number, progress.GetProperty("percent").ValueKind);
        Assert.Equal(42.5, progress.GetProperty("percent").GetDouble());
        Assert.Equal("3.2 MB/s", progress.GetProperty("speed").GetString());
        Assert.Equal("", progress.GetProperty("eta").GetString());
        Assert.Equal(1_732_291_206.25, progress.GetProperty("updated_at").GetDouble());

        var pending = data.GetProperty("pending_tasks");
        Assert.Equal(["XYZ-002", "XYZ-003"], pending.EnumerateArray().Select(t => t.GetProperty("avid").GetString()!).ToArray());
        Assert.False(pending[0].TryGetProperty("progress", out _), "no progress key for a task without progress");
        Assert.False(pending[0].TryGetProperty("title", out _));
        Assert.False(pending[0].TryGetProperty("updated_at", out _));
    }

    [Fact]
    public async Task Answers_get_queue_status_reports_invalid_json_and_ignores_the_rest()
    {
        await using var gateway = await GatewayServer.StartAsync();
        using var socket = await ConnectAsync(gateway, "/nassav/ws/tasks"); // no trailing slash works too
        var first = await socket.ReceiveAsync();
        Assert.Equal(0, first.GetProperty("data").GetProperty("total_count").GetInt32());

        await socket.SendTextAsync("{not json");
        var error = await socket.ReceiveAsync();
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Equal("Invalid JSON", error.GetProperty("message").GetString());

        gateway.Catalog!.Current = SampleQueue();
        await socket.SendTextAsync("""{"action":"something_else"}""");
        await socket.SendTextAsync("[1,2]");
        await socket.SendTextAsync("""{"action":"get_queue_status"}""");
        var answer = await socket.ReceiveAsync();
        Assert.Equal("queue_status", answer.GetProperty("type").GetString());
        Assert.Equal(3, answer.GetProperty("data").GetProperty("total_count").GetInt32());
        Assert.Equal(2, gateway.Catalog.Requests);
    }

    [Theory]
    [InlineData("""{"action":"\ud800"}""")]
    [InlineData("""{"\udc00":"get_queue_status"}""")]
    [InlineData("""{"action":"get_queue_status","action":"x"}""")]
    public async Task A_frame_that_cannot_be_decoded_is_invalid_json_and_the_socket_stays_open(string frame)
    {
        await using var gateway = await GatewayServer.StartAsync();
        using var socket = await ConnectAsync(gateway);
        await socket.ReceiveAsync();

        await socket.SendTextAsync(frame);
        var error = await socket.ReceiveAsync();
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Equal("Invalid JSON", error.GetProperty("message").GetString());

        await socket.SendTextAsync("""{"action":"get_queue_status"}""");
        Assert.Equal("queue_status", (await socket.ReceiveAsync()).GetProperty("type").GetString());
        Assert.Equal(WebSocketState.Open, socket.State);
    }

    [Fact]
    public async Task Sends_an_empty_queue_status_when_catalog_does_not_answer()
    {
        await using var gateway = await GatewayServer.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:WebSocket:QueueStatusTimeout"] = "0.5",
        }, withCatalog: false);
        using var socket = await ConnectAsync(gateway);
        var frame = await socket.ReceiveAsync();
        Assert.Equal("queue_status", frame.GetProperty("type").GetString());
        var data = frame.GetProperty("data");
        Assert.Equal(0, data.GetProperty("total_count").GetInt32());
        Assert.Equal(0, data.GetProperty("active_tasks").GetArrayLength());
        Assert.Equal(WebSocketState.Open, socket.State);
    }

    [Fact]
    public async Task Published_QueueStatusChanged_reaches_every_connected_client()
    {
        await using var gateway = await GatewayServer.StartAsync();
        var sockets = new List<ClientWebSocket>();
        for (var i = 0; i < 3; i++)
        {
            var socket = await ConnectAsync(gateway);
            await socket.ReceiveAsync(); // the connect snapshot
            sockets.Add(socket);
        }
        var hub = gateway.Services.GetRequiredService<FeedHub>();
        await Wait.UntilAsync(() => hub.Count == 3, Patience, "3 registered connections");

        await gateway.Services.GetRequiredService<IBus>().Publish(new QueueStatusChanged { Status = SampleQueue() });
        foreach (var socket in sockets)
        {
            var frame = await socket.ReceiveAsync();
            Assert.Equal("queue_status", frame.GetProperty("type").GetString());
            Assert.Equal("t-1", frame.GetProperty("data").GetProperty("active_tasks")[0].GetProperty("task_id").GetString());
        }
        foreach (var socket in sockets) socket.Dispose();
    }

    [Fact]
    public async Task Closes_cleanly_when_the_client_closes()
    {
        await using var gateway = await GatewayServer.StartAsync();
        using var socket = await ConnectAsync(gateway);
        await socket.ReceiveAsync();
        var hub = gateway.Services.GetRequiredService<FeedHub>();
        await Wait.UntilAsync(() => hub.Count == 1, Patience, "the connection to register");

        using var cts = new CancellationTokenSource(Patience);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", cts.Token);
        Assert.Equal(WebSocketState.Closed, socket.State);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
        await Wait.UntilAsync(() => hub.Count == 0, Patience, "the connection to be removed");
    }

    [Fact]
    public async Task Foreign_origin_is_refused_and_own_or_configured_origins_are_allowed()
    {
        await using var gateway = await GatewayServer.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:AllowedOrigins:0"] = "http://ui.example:9780",
        });
        var foreign = new ClientWebSocket();
        foreign.Options.CollectHttpResponseDetails = true;
        foreign.Options.SetRequestHeader("Origin", "http://evil.example");
        await Assert.ThrowsAsync<WebSocketException>(() => foreign.ConnectAsync(gateway.WebSocketUri(), CancellationToken.None));
        Assert.Equal(HttpStatusCode.Forbidden, foreign.HttpStatusCode);

        using var own = await ConnectAsync(gateway, origin: $"http://{gateway.BaseAddress.Authority}");
        Assert.Equal("queue_status", (await own.ReceiveAsync()).GetProperty("type").GetString());
        using var configured = await ConnectAsync(gateway, origin: "http://ui.example:9780");
        Assert.Equal("queue_status", (await configured.ReceiveAsync()).GetProperty("type").GetString());
        using var none = await ConnectAsync(gateway);
        Assert.Equal("queue_status", (await none.ReceiveAsync()).GetProperty("type").GetString());
    }

    /// <summary>
    /// The NASSAV UI's dev server (port 9780) opens ws://localhost:9790 directly: its page's origin is another port of
    /// this machine. Accepted while the host listens on loopback only; refused once it listens on every interface.
    /// </summary>
    [Fact]
    public async Task Loopback_origins_are_accepted_while_the_host_listens_on_loopback_only()
    {
        await using (var local = await GatewayServer.StartAsync())
        {
            foreach (var origin in new[] { "http://localhost:9780", "http://127.0.0.1:9780", "http://[::1]:5173", "https://localhost" })
            {
                using var socket = await ConnectAsync(local, origin: origin);
                Assert.Equal("queue_status", (await socket.ReceiveAsync()).GetProperty("type").GetString());
            }
            foreach (var origin in new[] { "http://localhost.evil.example:9780", "http://evil.example", "http://192.168.1.5:9780", "file://localhost" })
                Assert.Equal(HttpStatusCode.Forbidden, await RefusedWithAsync(local, origin));
        }

        await using var everywhere = await GatewayServer.StartAsync(listenUrl: "http://0.0.0.0:0");
        Assert.Equal(HttpStatusCode.Forbidden, await RefusedWithAsync(everywhere, "http://localhost:9780"));
        using var own = await ConnectAsync(everywhere, origin: $"http://{everywhere.BaseAddress.Authority}");
        Assert.Equal("queue_status", (await own.ReceiveAsync()).GetProperty("type").GetString());
    }

    private static async Task<HttpStatusCode> RefusedWithAsync(GatewayServer gateway, string origin)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Origin", origin);
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(gateway.WebSocketUri(), CancellationToken.None));
        return socket.HttpStatusCode;
    }

    [Fact]
    public async Task Plain_http_on_the_feed_path_gets_an_envelope()
    {
        await using var gateway = await GatewayServer.StartAsync();
        using var client = gateway.CreateClient();
        using var response = await client.GetAsync("/nassav/ws/tasks/");
        await Json.AssertEnvelopeAsync(response, 400);
    }

    [Fact]
    public async Task A_client_that_does_not_read_blocks_neither_the_broadcast_nor_other_clients()
    {
        await using var gateway = await GatewayServer.StartAsync();
        using var slow = await ConnectAsync(gateway); // never read from here on
        using var fast = await ConnectAsync(gateway);
        await fast.ReceiveAsync();
        var hub = gateway.Services.GetRequiredService<FeedHub>();
        await Wait.UntilAsync(() => hub.Count == 2, Patience, "2 registered connections");

        var pad = new string('x', 100 * 1024);
        var progress = System.Text.Encoding.UTF8.GetBytes("{\"type\":\"progress_update\",\"data\":{\"pad\":\"" + pad + "\"}}");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 300; i++) hub.Broadcast(new OutgoingFrame(FrameKind.Progress, progress)); // 30 MB each
        hub.Broadcast(new OutgoingFrame(FrameKind.Snapshot, """{"type":"queue_status","data":{"marker":true}}"""u8.ToArray()));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"broadcast took {watch.Elapsed}");

        while (true)
        {
            var frame = await fast.ReceiveAsync(Patience);
            if (frame.GetProperty("type").GetString() == "queue_status") break;
        }
        Assert.Contains(hub.Connections, c => c.Dropped > 0);
    }

    [Fact]
    public async Task Server_shutdown_sends_a_close_frame()
    {
        var gateway = await GatewayServer.StartAsync();
        using var socket = await ConnectAsync(gateway);
        await socket.ReceiveAsync();
        var stop = gateway.DisposeAsync().AsTask();

        using var cts = new CancellationTokenSource(Patience);
        var buffer = new byte[1024];
        var result = await socket.ReceiveAsync(buffer, cts.Token);
        Assert.Equal(WebSocketMessageType.Close, result.MessageType);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, result.CloseStatus);
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
        await stop.WaitAsync(Patience);
    }

    [Fact]
    public void A_slow_client_loses_progress_frames_first_and_keeps_events()
    {
        var connection = new FeedConnection(limit: 4);
        OutgoingFrame Frame(FrameKind kind, string name) => new(kind, System.Text.Encoding.UTF8.GetBytes(name));
        connection.Enqueue(Frame(FrameKind.Snapshot, "s1"));
        connection.Enqueue(Frame(FrameKind.Progress, "p1"));
        connection.Enqueue(Frame(FrameKind.Event, "e1"));
        connection.Enqueue(Frame(FrameKind.Progress, "p2"));
        connection.Enqueue(Frame(FrameKind.Progress, "p3")); // full: p1 goes
        connection.Enqueue(Frame(FrameKind.Event, "e2"));    // full: p2 goes
        connection.Enqueue(Frame(FrameKind.Snapshot, "s2")); // full: p3 goes
        connection.Enqueue(Frame(FrameKind.Progress, "p4")); // full, no progress queued: p4 itself is dropped
        connection.Enqueue(Frame(FrameKind.Snapshot, "s3")); // full: s1 is superseded
        string Names() => string.Join(",", connection.Pending().Select(f => System.Text.Encoding.UTF8.GetString(f.Payload.Span)));
        Assert.Equal("e1,e2,s2,s3", Names());
        Assert.Equal(5, connection.Dropped);
    }
}
