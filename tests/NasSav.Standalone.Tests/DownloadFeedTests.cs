using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using NasSav.Catalog.Data;
using NasSav.Contracts.Downloads;
using NasSav.Media.Avids;
using NasSav.Testing;

namespace NasSav.Standalone.Tests;

/// <summary>
/// Catalog's saga and the gateway's feed composed in one process: a mock download submitted over HTTP, the
/// downloader's events played on the bus, the frames read from a real WebSocket.
/// </summary>
public sealed class DownloadFeedTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60); // bounds a hang only

    [Fact]
    public async Task A_mock_download_shows_in_the_queue_and_ends_with_task_completed_then_an_empty_queue()
    {
        await using var app = new StandaloneApp(new Dictionary<string, string?> { ["Downloads:EnableMock"] = "true" });
        app.StartServer();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
            db.Resources.Add(new Resource { Avid = "FEED-001", OriginalTitle = "标题" });
            await db.SaveChangesAsync();
        }
        using var http = app.CreateClient();
        using var socket = new ClientWebSocket();
        var ws = new UriBuilder(http.BaseAddress!) { Scheme = "ws", Path = "/nassav/ws/tasks/" }.Uri;
        using (var cts = new CancellationTokenSource(Patience)) await socket.ConnectAsync(ws, cts.Token);
        Assert.Equal("queue_status", (await ReceiveAsync(socket)).GetProperty("type").GetString());

        var response = await http.PostAsync("/nassav/api/downloads/mock/FEED-001", new StringContent("""{"duration":3}""", Encoding.UTF8, "application/json"));
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(202, (int)response.StatusCode);
        var taskId = answer.RootElement.GetProperty("data").GetProperty("task_id").GetString()!;
        var pending = await UntilAsync(socket, f => IsQueue(f, pending: 1, active: 0));
        Assert.Equal(taskId, pending.GetProperty("data").GetProperty("pending_tasks")[0].GetProperty("task_id").GetString());

        var bus = app.Services.GetRequiredService<IBus>();
        var id = Avid.Parse("FEED-001").CorrelationId;
        var at = DateTimeOffset.UtcNow;
        await bus.Publish(new DownloadStarted { CorrelationId = id, Avid = "FEED-001", TaskId = taskId, Epoch = 0, Instance = "test", Mock = true, StartedAt = at });
        var started = await UntilAsync(socket, f => Type(f) == "task_started");
        Assert.Equal($$"""{"task_id":"{{taskId}}","avid":"FEED-001","status":"started"}""", started.GetProperty("data").GetRawText());
        await UntilAsync(socket, f => IsQueue(f, pending: 0, active: 1));

        await bus.Publish(new DownloadProgressed
        {
            CorrelationId = id, Avid = "FEED-001", TaskId = taskId, Epoch = 0, Phase = "download", Percent = 50, Speed = "4.0 MB/s", Eta = "00:00:01",
            Mock = true, At = at,
        });
        var progress = await UntilAsync(socket, f => Type(f) == "progress_update");
        Assert.Equal(50, progress.GetProperty("data").GetProperty("percent").GetDouble());

        await bus.Publish(new DownloadCompleted { CorrelationId = id, Avid = "FEED-001", TaskId = taskId, Epoch = 0, Mock = true, CompletedAt = at });
        var frames = new List<JsonElement>();
        await UntilAsync(socket, f => { frames.Add(f); return IsQueue(f, pending: 0, active: 0); });
        var completed = Assert.Single(frames, f => Type(f) == "task_completed");
        Assert.Equal($$"""{"task_id":"{{taskId}}","avid":"FEED-001","status":"completed","message":"模拟下载完成"}""", completed.GetProperty("data").GetRawText());
    }

    private static string? Type(JsonElement frame) => frame.GetProperty("type").GetString();

    private static bool IsQueue(JsonElement frame, int pending, int active) =>
        Type(frame) == "queue_status"
        && frame.GetProperty("data").GetProperty("pending_count").GetInt32() == pending
        && frame.GetProperty("data").GetProperty("active_count").GetInt32() == active;

    /// <summary>Reads frames until one matches (bounded by <see cref="Patience"/> overall).</summary>
    private static Task<JsonElement> UntilAsync(WebSocket socket, Func<JsonElement, bool> match) => socket.ReceiveUntilAsync(match, Patience);

    private static Task<JsonElement> ReceiveAsync(WebSocket socket) => socket.ReceiveJsonAsync(Patience);
}
