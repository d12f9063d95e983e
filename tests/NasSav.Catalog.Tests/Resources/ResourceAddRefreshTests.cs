using NasSav.Catalog.Tests.Support;

namespace NasSav.Catalog.Tests.Resources;

/// <summary>
/// Validation and the answers that need no scraper. No scraper runs here (the lifecycle specs fake one),
/// so the work itself outlasts the short wait: 202, and 409 while that AVID is in progress.
/// </summary>
public sealed class ResourceAddRefreshTests
{
    private static readonly Dictionary<string, string?> ShortWaits = new()
    {
        ["Lifecycle:AddWaitSeconds"] = "0.2",
        ["Lifecycle:RefreshWaitSeconds"] = "0.2",
    };

    [Theory, BothDatabases]
    public async Task Add_validates_then_answers_409_for_existing_and_202_for_new(DbKind kind)
    {
        await using var app = await CatalogApp.StartAsync(kind, ShortWaits);
        await app.ResourceAsync("ADD-001", r => { r.SourceTitle = "ADD-001 标题"; r.Source = "Jable"; });
        var client = app.CreateClient();
        Task<ApiAnswer> Add(string json) => client.SendAsync(HttpMethod.Post, "/resource", json);

        var exists = (await Add("""{"avid":"  add-001 "}""")).Is(409);
        Assert.Equal("资源 ADD-001 已存在", exists.Message);
        Assert.Equal("""{"avid":"ADD-001","original_title":"ADD-001 测试作品","source_title":"ADD-001 标题","translated_title":null,"source":"Jable"}""",
            exists.Data.GetRawText());

        var accepted = (await Add("""{"avid":"NEW-001","source":"any"}""")).Is(202);
        Assert.Equal("资源 NEW-001 正在处理中", accepted.Message);
        Assert.Equal("""{"avid":"NEW-001"}""", accepted.Data.GetRawText());
        var inProgress = (await Add("""{"avid":"NEW-001","source":"MISSAV"}""")).Is(409);
        Assert.Equal("资源 NEW-001 正在处理中", inProgress.Message);
        Assert.Equal("NEW-001", inProgress.Data.GetProperty("avid").GetString());

        var unknown = (await Add("""{"avid":"NEW-001","source":"Nowhere"}""")).Is(400);
        Assert.Equal("源 nowhere 不存在", unknown.Message);
        Assert.Equal("""["MissAV","Jable","Memo"]""", unknown.Data.GetProperty("available_sources").GetRawText());

        var missing = (await Add("{}")).Is(400);
        Assert.Equal("参数错误", missing.Message);
        Assert.True(missing.Data.TryGetProperty("avid", out _));
        Assert.Equal("参数错误", (await Add("""{"avid":42}""")).Is(400).Message);
        Assert.Equal("参数错误", (await Add($$"""{"avid":"{{new string('A', 51)}}"}""")).Is(400).Message);
        (await Add("""{"avid":"AB CD"}""")).Is(400);
        (await Add("""{"avid":"NEW-001","source":7}""")).Is(400);
    }

    [Theory, BothDatabases]
    public async Task Refresh_reads_flags_strictly(DbKind kind)
    {
        await using var app = await CatalogApp.StartAsync(kind, ShortWaits);
        await app.ResourceAsync("REF-001", r => r.Source = "Jable");
        await app.ResourceAsync("REF-002", r => r.Source = "");
        await app.ResourceAsync("REF-003", r => r.Source = "Jable");
        var client = app.CreateClient();
        Task<ApiAnswer> Refresh(string avid, string json) => client.SendAsync(HttpMethod.Post, $"/resource/refresh/{avid}", json);

        var accepted = (await Refresh("REF-001", "")).Is(202);
        Assert.Equal("REF-001", accepted.Data.GetProperty("resource").GetProperty("avid").GetString());
        Assert.Equal("资源 REF-001 正在处理中", (await Refresh("REF-001", """{"refresh_m3u8":true,"refresh_metadata":false,"retranslate":false}""")).Is(409).Message);
        // Translator:Enabled is false: a retranslation alone can do nothing, and the answer says so (not a success).
        var retranslate = (await Refresh("REF-003", """{"refresh_m3u8":false,"refresh_metadata":false,"retranslate":true}""")).Is(503);
        Assert.Contains("Translator:Enabled", retranslate.Data.GetProperty("translation_error").GetString());
        // The string "false" is false: nothing is asked, which succeeds without doing anything.
        var nothing = (await Refresh("ref-001", """{"refresh_m3u8":"false","refresh_metadata":"FALSE","retranslate":false}""")).Is(200);
        Assert.Equal("REF-001", nothing.Data.GetProperty("resource").GetProperty("avid").GetString());

        Assert.Equal("refresh_m3u8 参数必须是布尔值", (await Refresh("REF-001", """{"refresh_m3u8":"yes"}""")).Is(400).Message);
        Assert.Equal("retranslate 参数必须是布尔值", (await Refresh("REF-001", """{"retranslate":1}""")).Is(400).Message);
        Assert.Equal("获取NOPE-001失败。database:404", (await Refresh("NOPE-001", "{}")).Is(404).Message);
        Assert.Equal("NOPE-001 的资源不存在", (await Refresh("NOPE-001", """{"refresh_m3u8":false,"refresh_metadata":false,"retranslate":true}""")).Is(404).Message);
        (await Refresh("REF-002", "{}")).Is(404);
        (await Refresh("REF-001", "{oops")).Is(400);
    }

    [Theory, BothDatabases]
    public async Task Batch_answers_one_result_per_action_in_order(DbKind kind)
    {
        await using var app = await CatalogApp.StartAsync(kind, ShortWaits);
        await app.ResourceAsync("BAT-001", r => r.Source = "Jable");
        await app.ResourceAsync("BAT-002", r => { r.FileExists = true; r.FileSize = 16; });
        await app.ResourceAsync("BAT-003");
        app.WriteMedia("video/BAT-002.mp4");
        app.WriteMedia("thumbnails/small/BAT-003.jpg");
        var client = app.CreateClient();

        var answer = (await client.SendAsync(HttpMethod.Post, "/resources/batch", """
            {"actions":[
              {"action":"add","avid":"bat-001","source":"any"},
              {"action":"add","avid":"NEW-009"},
              {"action":"add","avid":"NEW-009","source":"nowhere"},
              {"action":"refresh","avid":"BAT-001","refresh_m3u8":"maybe"},
              {"action":"refresh","avid":"BAT-001"},
              {"action":"refresh","avid":"NOPE-1"},
              {"action":"delete-video","avid":"BAT-002"},
              {"action":"delete-video","avid":"BAT-003"},
              {"action":"delete-all","avid":"BAT-003"},
              {"action":"delete","avid":"NOPE-1"},
              {"action":"explode","avid":"BAT-001"},
              {"action":"add"},
              {"action":"add","avid":"../x"},
              "not an object"
            ]}
            """)).Is(200);
        var results = answer.Data.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal([200, 202, 400, 400, 202, 404, 200, 404, 200, 404, 400, 400, 400, 400],
            results.Select(r => r.GetProperty("code").GetInt32()));
        Assert.Equal("already exists", results[0].GetProperty("message").GetString());
        Assert.Equal("BAT-001", results[0].GetProperty("resource").GetProperty("avid").GetString());
        Assert.Equal("BAT-002.mp4", results[6].GetProperty("deleted_file").GetString());
        Assert.Equal(16, results[6].GetProperty("file_size").GetInt64());
        Assert.False(results[6].TryGetProperty("resource", out _));
        Assert.Equal(["thumbnail/small/BAT-003.jpg"], results[8].GetProperty("deleted_files").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal("未知 action", results[10].GetProperty("message").GetString());
        Assert.Equal("avid 缺失", results[11].GetProperty("message").GetString());

        Assert.False((await app.FindAsync("BAT-002"))!.FileExists);
        Assert.False(app.MediaExists("video/BAT-002.mp4"));
        Assert.Null(await app.FindAsync("BAT-003"));

        (await client.SendAsync(HttpMethod.Post, "/resources/batch", """{"actions":"add"}""")).Is(400);
        (await client.SendAsync(HttpMethod.Post, "/resources/batch", "{}")).Is(400);
    }
}
