using System.Text.Json;
using NasSav.Catalog.Tests.Support;

namespace NasSav.Catalog.Tests.Downloads;

public sealed class DownloadTests
{
    [Theory, BothDatabases]
    public async Task Submit_checks_the_row_and_the_video_then_answers_503(DbKind kind)
    {
        await using var app = await CatalogApp.StartAsync(kind);
        await app.ResourceAsync("DL-001");
        await app.ResourceAsync("DL-002", r => { r.FileExists = true; r.FileSize = 1234; });
        var client = app.CreateClient();

        Assert.Contains("downloader", (await client.SendAsync(HttpMethod.Post, "/downloads/dl-001")).Is(503).Message);
        var done = (await client.SendAsync(HttpMethod.Post, "/downloads/DL-002")).Is(409);
        Assert.Equal("视频已下载", done.Message);
        Assert.Equal("""{"avid":"DL-002","task_id":null,"status":"completed","file_size":1234}""", done.Data.GetRawText());
        Assert.StartsWith("NOPE-001 的元数据不存在", (await client.SendAsync(HttpMethod.Post, "/downloads/NOPE-001")).Is(404).Message);

        var batch = (await client.SendAsync(HttpMethod.Post, "/downloads/batch_submit", """{"avids":["DL-001","DL-002","NOPE-001","a/b",5]}""")).Is(200);
        Assert.Equal([503, 409, 404, 400, 400],
            batch.Data.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("code").GetInt32()));
        (await client.SendAsync(HttpMethod.Post, "/downloads/batch_submit", """{"avids":"DL-001"}""")).Is(400);
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
    public async Task Mock_validates_duration_when_enabled()
    {
        await using var app = await CatalogApp.StartAsync(DbKind.Sqlite, new Dictionary<string, string?> { ["Downloads:EnableMock"] = "true" });
        await app.ResourceAsync("MCK-001");
        var client = app.CreateClient();
        Task<ApiAnswer> Mock(string avid, string json) => client.SendAsync(HttpMethod.Post, $"/downloads/mock/{avid}", json);

        Assert.Contains("downloader", (await Mock("MCK-001", "")).Is(503).Message);
        (await Mock("MCK-001", """{"duration":300}""")).Is(503);
        Assert.Equal("持续时间必须在 1-300 秒之间", (await Mock("MCK-001", """{"duration":0}""")).Is(400).Message);
        Assert.Equal("持续时间必须在 1-300 秒之间", (await Mock("MCK-001", """{"duration":301}""")).Is(400).Message);
        Assert.Equal("duration 参数必须是整数", (await Mock("MCK-001", """{"duration":"30"}""")).Is(400).Message);
        (await Mock("MCK-001", """{"duration":2.5}""")).Is(400);
        Assert.Equal("NOPE-001 的元数据不存在", (await Mock("NOPE-001", "{}")).Is(404).Message);
    }
}
