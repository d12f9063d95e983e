using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using NasSav.Maintenance.Tests.Support;

namespace NasSav.Maintenance.Tests.Scheduling;

public sealed class ProgressFeedTests
{
    [Fact]
    public async Task A_running_job_shows_in_the_websocket_feed_as_maintenance_progress_frames()
    {
        await using var app = await MaintenanceApp.StartAsync(DbKind.Sqlite);
        using var ws = new ClientWebSocket();
        var uri = new UriBuilder(app.Http.BaseAddress!) { Scheme = "ws", Path = "/nassav/ws/tasks/" }.Uri;
        using var timeout = new CancellationTokenSource(MaintenanceApp.Patience);
        await ws.ConnectAsync(uri, timeout.Token);

        using (var start = await app.Http.PostAsync("/nassav/api/maintenance/jobs/test-gate/run", null))
            Assert.Equal(202, (int)start.StatusCode);
        var running = await NextAsync(ws, f => f.GetProperty("status").GetString() == "running" && f.GetProperty("done").GetInt64() > 0, timeout.Token);
        Assert.Equal("test-gate", running.GetProperty("job").GetString());
        Assert.Equal("waiting for the gate", running.GetProperty("message").GetString());

        app.Gate.Gate.SetResult();
        var ended = await NextAsync(ws, f => f.GetProperty("status").GetString() != "running", timeout.Token);
        Assert.Equal("succeeded", ended.GetProperty("status").GetString());
        Assert.Equal(running.GetProperty("run_id").GetInt64(), ended.GetProperty("run_id").GetInt64());
    }

    private static async Task<JsonElement> NextAsync(ClientWebSocket ws, Func<JsonElement, bool> match, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await ws.ReceiveAsync(buffer, ct);
                message.Write(buffer, 0, result.Count);
            } while (!result.EndOfMessage);
            var frame = JsonDocument.Parse(Encoding.UTF8.GetString(message.ToArray())).RootElement;
            if (frame.GetProperty("type").GetString() != "maintenance_progress") continue;
            var data = frame.GetProperty("data");
            if (match(data)) return data.Clone();
        }
    }
}
