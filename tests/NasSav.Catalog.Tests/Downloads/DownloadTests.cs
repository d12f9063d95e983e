using System.Text.Json;
using NasSav.Catalog.Tests.Support;

namespace NasSav.Catalog.Tests.Downloads;

public sealed class DownloadTests
{
    /// <summary>The endpoints on the host's own in-memory bus and saga (no downloader: DownloadVideo just waits).</summary>
    [Theory, BothDatabases]
    public async Task Submit_answers_every_reference_code_and_batch_keeps_the_order(DbKind kind)
    {
        await using var app = await CatalogApp.StartAsync(kind);
        await app.ResourceAsync("DL-001", r => r.M3u8 = "https://cdn.example/dl-001.m3u8");
        await app.ResourceAsync("DL-002", r => { r.FileExists = true; r.FileSize = 1234; r.M3u8 = "https://cdn.example/dl-002.m3u8"; });
        app.WriteMedia("video/DL-002.mp4", 1234);
        await app.ResourceAsync("DL-003", r => { r.FileExists = true; r.FileSize = 99; r.M3u8 = "https://cdn.example/dl-003.m3u8"; }); // file gone
        await app.ResourceAsync("DL-004"); // no m3u8
        await app.ResourceAsync("DL-005", r => r.M3u8 = "https://cdn.example/dl-005.m3u8");
        await app.ResourceAsync("DL-006", r => r.M3u8 = "https://cdn.example/dl-006.m3u8");
        var client = app.CreateClient();

        var submitted = (await client.SendAsync(HttpMethod.Post, "/downloads/dl-001")).Is(202);
        Assert.Equal("下载任务已提交", submitted.Message);
        Assert.Equal("pending", submitted.Data.GetProperty("status").GetString());
        Assert.True(Guid.TryParse(submitted.Data.GetProperty("task_id").GetString(), out _));
        var duplicate = (await client.SendAsync(HttpMethod.Post, "/downloads/DL-001")).Is(409);
        Assert.Equal("下载任务已存在", duplicate.Message);

        var done = (await client.SendAsync(HttpMethod.Post, "/downloads/DL-002")).Is(409);
        Assert.Equal("视频已下载", done.Message);
        Assert.Equal("""{"avid":"DL-002","task_id":null,"status":"completed","file_size":1234}""", done.Data.GetRawText());
        (await client.SendAsync(HttpMethod.Post, "/downloads/DL-003")).Is(202); // the row is reconciled and downloaded again
        Assert.False((await app.FindAsync("DL-003"))!.FileExists);
        Assert.Contains("m3u8", (await client.SendAsync(HttpMethod.Post, "/downloads/DL-004")).Is(422).Message);
        Assert.Equal("NOPE-001 的元数据不存在，请先调用 /api/resource/new 添加资源", (await client.SendAsync(HttpMethod.Post, "/downloads/NOPE-001")).Is(404).Message);
        (await client.SendAsync(HttpMethod.Post, "/downloads/a%20b")).Is(400);

        var batch = (await client.SendAsync(HttpMethod.Post, "/downloads/batch_submit",
            """{"avids":["DL-005","DL-001","DL-002","NOPE-001","a/b",5,"DL-004","dl-006"]}""")).Is(200);
        var results = batch.Data.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal([202, 409, 409, 404, 400, 400, 422, 202], results.Select(r => r.GetProperty("code").GetInt32()));
        Assert.Equal(["DL-005", "DL-001", "DL-002", "NOPE-001", "a/b", null, "DL-004", "DL-006"], results.Select(r => r.GetProperty("avid").GetString()));
        Assert.Equal("submitted", results[0].GetProperty("message").GetString());
        Assert.NotNull(results[0].GetProperty("task_id").GetString());
        Assert.Equal("下载任务已存在", results[1].GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Null, results[1].GetProperty("task_id").ValueKind);
        Assert.Equal("视频已下载", results[2].GetProperty("message").GetString());

        var queue = (await client.ApiGetAsync("/tasks/queue/status")).Is(200).Data;
        var pending = queue.GetProperty("pending_tasks").EnumerateArray().Select(t => t.GetProperty("avid").GetString()!).ToList();
        // By queue time: the two single submits first, then the batch's (queued concurrently, in either order).
        Assert.Equal(["DL-001", "DL-003"], pending.Take(2));
        Assert.Equal(["DL-005", "DL-006"], pending.Skip(2).Order());
        (await client.SendAsync(HttpMethod.Post, "/downloads/batch_submit", """{"avids":"DL-001"}""")).Is(400);
        (await client.SendAsync(HttpMethod.Post, "/downloads/batch_submit", "{}")).Is(400);
    }

    [Theory, BothDatabases]
    public async Task Deleting_a_video_removes_the_file_and_reconciles_the_row(DbKind kind)
    {
        await using var app = await CatalogApp.StartAsync(kind);
        await app.ResourceAsync("VID-001", r => { r.FileExists = true; r.FileSize = 32; r.VideoSavedAt = DateTime.UtcNow; });
        await app.ResourceAsync("VID-002", r => { r.FileExists = true; r.FileSize = 99; }); // the file is already gone
        app.WriteMedia("video/VID-001.mp4", 32);
        app.WriteMedia("cover/VID-001.jpg");
        var client = app.CreateClient();

        var deleted = (await client.SendAsync(HttpMethod.Delete, "/downloads/VID-001")).Is(200);
        Assert.Equal("""{"avid":"VID-001","deleted_file":"VID-001.mp4","file_size":32}""", deleted.Data.GetRawText());
        Assert.False(app.MediaExists("video/VID-001.mp4"));
        Assert.True(app.MediaExists("cover/VID-001.jpg"));
        var row = await app.FindAsync("VID-001");
        Assert.False(row!.FileExists);
        Assert.Null(row.FileSize);
        Assert.Null(row.VideoSavedAt);

        var reconciled = (await client.SendAsync(HttpMethod.Delete, "/downloads/VID-002")).Is(200);
        Assert.Equal(JsonValueKind.Null, reconciled.Data.GetProperty("deleted_file").ValueKind);
        Assert.False((await app.FindAsync("VID-002"))!.FileExists);

        Assert.Equal("视频 VID-002 不存在", (await client.SendAsync(HttpMethod.Delete, "/downloads/VID-002")).Is(404).Message);
    }

    [Theory, BothDatabases]
    public async Task Mock_is_forbidden_unless_enabled(DbKind kind)
    {
        await using var app = await CatalogApp.StartAsync(kind);
        await app.ResourceAsync("MCK-001");
        Assert.Equal("此接口仅在 DEBUG 模式下可用",
            (await app.CreateClient().SendAsync(HttpMethod.Post, "/downloads/mock/MCK-001", "{}")).Is(403).Message);
    }

    [Fact]
    public async Task Mock_validates_duration_and_queues_when_enabled()
    {
        await using var app = await CatalogApp.StartAsync(DbKind.Sqlite, new Dictionary<string, string?> { ["Downloads:EnableMock"] = "true" });
        await app.ResourceAsync("MCK-001");
        var client = app.CreateClient();
        Task<ApiAnswer> Mock(string avid, string json) => client.SendAsync(HttpMethod.Post, $"/downloads/mock/{avid}", json);

        Assert.Equal("持续时间必须在 1-300 秒之间", (await Mock("MCK-001", """{"duration":0}""")).Is(400).Message);
        Assert.Equal("持续时间必须在 1-300 秒之间", (await Mock("MCK-001", """{"duration":301}""")).Is(400).Message);
        Assert.Equal("duration 参数必须是整数", (await Mock("MCK-001", """{"duration":"30"}""")).Is(400).Message);
        (await Mock("MCK-001", """{"duration":2.5}""")).Is(400);
        Assert.Equal("NOPE-001 的元数据不存在", (await Mock("NOPE-001", "{}")).Is(404).Message);
        (await Mock("a%20b", "{}")).Is(400);
        var queued = (await Mock("MCK-001", "")).Is(202); // no body: 30 s, no m3u8 needed
        Assert.Equal(30, queued.Data.GetProperty("duration").GetInt32());
        Assert.Equal("下载任务已存在", (await Mock("MCK-001", """{"duration":300}""")).Is(409).Message);
    }
}
