using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using NasSav.Testing;

namespace NasSav.SystemTests.Downloads;

/// <summary>
/// Done means, standalone: the one-process host against the demo site as tools/demo.sh runs it (the site's own
/// defaults: a 2-minute stream whose segments come slowly). A WebSocket client watches a download asked for over
/// REST from task_started through progress_update frames that visibly move to task_completed; the MP4 plays for
/// the stream's length, /downloads/abspath points at it and the detail page shows its duration in minutes.
/// </summary>
[Collection(DistributedCollection.Name)]
public sealed class StandaloneDownloadTests : IAsyncLifetime
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private StandaloneDemo _demo = null!;

    public async Task InitializeAsync()
    {
        // Nothing tuned: what a newcomer running tools/demo.sh gets.
        _demo = await StandaloneDemo.StartAsync(_http, "standalone-download", demoPace: true);
    }

    public async Task DisposeAsync()
    {
        await _demo.DisposeAsync();
        _http.Dispose();
    }

    private Uri Api(string path) => _demo.Api(path);

    [Fact]
    public Task A_download_asked_for_over_rest_is_watched_live_and_plays() => SystemTestFailure.WithLogsAsync(async () =>
    {
        const string avid = "DEMO-031"; // a plain media playlist
        using (var add = await _http.PostAsync(Api("resource"), new StringContent($$"""{"avid":"{{avid}}"}""", Encoding.UTF8, "application/json")))
            Assert.Equal(HttpStatusCode.Created, add.StatusCode);

        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{_demo.Standalone.Port}/nassav/ws/tasks/"), CancellationToken.None);
        var frames = new List<JsonElement>();
        using var reading = new CancellationTokenSource();
        var reader = ReadFramesAsync(socket, frames, reading.Token);

        string taskId;
        using (var submit = await _http.PostAsync(Api($"downloads/{avid}"), null))
        {
            var body = await submit.Content.ReadAsStringAsync();
            Assert.True(submit.StatusCode == HttpStatusCode.Accepted, body);
            using var doc = JsonDocument.Parse(body);
            taskId = doc.RootElement.GetProperty("data").GetProperty("task_id").GetString()!;
        }

        List<JsonElement> Mine()
        {
            lock (frames)
                return frames.Where(f => f.GetProperty("type").GetString() is "task_started" or "progress_update" or "task_completed" or "task_failed"
                                         && f.GetProperty("data").GetProperty("task_id").GetString() == taskId).ToList();
        }
        await Wait.UntilAsync(() => Mine().Any(f => f.GetProperty("type").GetString() is "task_completed" or "task_failed"),
            TimeSpan.FromMinutes(2), "task_completed");
        await reading.CancelAsync();
        await reader;

        var mine = Mine();
        var types = mine.Select(f => f.GetProperty("type").GetString()).ToList();
        Assert.DoesNotContain("task_failed", types);
        Assert.Equal("task_started", types[0]);
        Assert.Equal("task_completed", types[^1]);
        var progress = mine.Where(f => f.GetProperty("type").GetString() == "progress_update").Select(f => f.GetProperty("data")).ToList();
        Assert.True(progress.Count >= 2, $"expected several progress_update frames, got {progress.Count}: {string.Join(", ", types)}");
        // Progress a person can see move: at least two different values between 0 and 100 (not a jump to 100 %).
        var between = progress.Select(p => p.GetProperty("percent").GetDouble()).Where(p => p is > 0 and < 100).Distinct().ToList();
        Assert.True(between.Count >= 2, $"progress did not visibly move: {string.Join(", ", progress.Select(p => p.GetProperty("percent").GetDouble()))}");
        foreach (var p in progress)
        {
            Assert.Equal(avid, p.GetProperty("avid").GetString());
            Assert.Equal(JsonValueKind.Number, p.GetProperty("percent").ValueKind);
            Assert.Matches(@"^\d+\.\d (B|KB|MB|GB)/s$", p.GetProperty("speed").GetString());
            Assert.Equal(JsonValueKind.String, p.GetProperty("eta").ValueKind);
        }

        string abspath;
        using (var doc = JsonDocument.Parse(await _http.GetStringAsync(Api($"downloads/abspath?avid={avid}"))))
            abspath = doc.RootElement.GetProperty("data").GetProperty("abspath").GetString()!;
        Assert.Equal(Path.Combine(_demo.DataRoot, "resource", "video", avid + ".mp4"), abspath);
        var seconds = await DurationAsync(abspath);
        Assert.True(seconds >= 60, $"the demo stream lasts {seconds} s: too short to read as minutes");

        // The measured duration replaces the scraped one, shown in minutes (the 8 s clip showed 时长 0分钟).
        using var meta = JsonDocument.Parse(await _http.GetStringAsync(Api($"resource/metadata?avid={avid}")));
        Assert.Equal($"{(int)Math.Round(seconds / 60, MidpointRounding.AwayFromZero)}分钟", meta.RootElement.GetProperty("data").GetProperty("duration").GetString());
        Assert.True(meta.RootElement.GetProperty("data").GetProperty("file_exists").GetBoolean());
    }, () => $"{_demo.Standalone.Tail(80)}\n{_demo.Site.Tail(20)}");

    private static async Task ReadFramesAsync(ClientWebSocket socket, List<JsonElement> frames, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                using var message = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer, ct);
                    message.Write(buffer, 0, result.Count);
                } while (!result.EndOfMessage);
                if (result.MessageType == WebSocketMessageType.Close) return;
                using var doc = JsonDocument.Parse(message.ToArray());
                lock (frames) frames.Add(doc.RootElement.Clone());
            }
        }
        catch (OperationCanceledException) { }
        catch (WebSocketException) { }
    }

    private static async Task<double> DurationAsync(string file)
    {
        var psi = new ProcessStartInfo("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "default=nw=1:nk=1", file])
        {
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(psi)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return double.Parse(output.Trim(), CultureInfo.InvariantCulture);
    }
}
