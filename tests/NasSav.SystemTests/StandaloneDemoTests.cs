using System.Net;
using System.Text;
using System.Text.Json;
using NasSav.Testing;

namespace NasSav.SystemTests;

/// <summary>
/// The newcomer's path: the standalone host (one process, SQLite, in-memory bus) configured by
/// tools/NasSav.DemoSite/demo-config.yaml against the offline demo site.
/// </summary>
[Collection(DistributedCollection.Name)]
public sealed class StandaloneDemoTests : IAsyncLifetime
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private HostProcess _site = null!;
    private HostProcess _standalone = null!;
    private string _dataRoot = "";

    public async Task InitializeAsync()
    {
        _dataRoot = Directory.CreateTempSubdirectory("nassav-standalone-demo-").FullName;
        var port = HostProcess.FreePort();
        _site = HostProcess.Start("demo-site", HostProcess.BuiltDll("tools/NasSav.DemoSite"), port, new Dictionary<string, string?>
        {
            ["Demo:CacheDir"] = Path.Combine(HostProcess.RunDir, "demo-site-cache"),
        });
        await _site.WaitReadyAsync(_http, DistributedSet.ReadyTimeout, "health");
        var demo = $"127.0.0.1:{port}";
        _standalone = HostProcess.Start("standalone", HostProcess.BuiltDll("tools/NasSav.Standalone"), HostProcess.FreePort(), new Dictionary<string, string?>
        {
            ["NASSAV_CONFIG"] = Path.Combine(RepoPaths.Root, "tools", "NasSav.DemoSite", "demo-config.yaml"),
            ["Sources:0:Domain"] = demo,
            ["Sources:1:Domain"] = demo,
            ["MetadataSites:0:Domain"] = demo,
            ["Scraper:PlaceholderAvatarUrls:1"] = $"http://{demo}/mono/actjpgs/nowprinting.gif",
            ["Data:Root"] = _dataRoot,
        });
        await _standalone.WaitReadyAsync(_http, DistributedSet.ReadyTimeout);
    }

    public async Task DisposeAsync()
    {
        await _standalone.DisposeAsync();
        await _site.DisposeAsync();
        _http.Dispose();
        try { Directory.Delete(_dataRoot, recursive: true); } catch (IOException) { }
    }

    private Uri Api(string path) => new(_standalone.BaseUri, "nassav/api/" + path);

    [Fact]
    public Task Adding_a_demo_avid_stores_metadata_cover_thumbnails_actors_and_avatars() => SystemTestFailure.WithLogsAsync(async () =>
    {
        using var add = await _http.PostAsync(Api("resource"), new StringContent("""{"avid":"DEMO-012"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, add.StatusCode);
        using (var body = JsonDocument.Parse(await add.Content.ReadAsStringAsync()))
        {
            Assert.True(body.RootElement.GetProperty("data").GetProperty("scraped").GetBoolean());
            Assert.True(body.RootElement.GetProperty("data").GetProperty("cover_downloaded").GetBoolean());
        }

        using (var meta = JsonDocument.Parse(await _http.GetStringAsync(Api("resource/metadata?avid=DEMO-012"))))
        {
            var data = meta.RootElement.GetProperty("data");
            Assert.False(string.IsNullOrEmpty(data.GetProperty("original_title").GetString()));
            Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", data.GetProperty("release_date").GetString());
            Assert.Matches(@"^\d+分钟$", data.GetProperty("duration").GetString());
            Assert.False(string.IsNullOrEmpty(data.GetProperty("studio").GetString()));
            Assert.NotEmpty(data.GetProperty("actors").EnumerateArray());
            Assert.NotEmpty(data.GetProperty("genres").EnumerateArray());
            Assert.DoesNotContain(data.GetProperty("genres").EnumerateArray(), g => g.GetString() is "高畫質" or "4K");
        }

        foreach (var size in new[] { "", "&size=small", "&size=medium", "&size=large" })
        {
            using var cover = await _http.GetAsync(Api($"resource/cover?avid=DEMO-012{size}"));
            Assert.Equal(HttpStatusCode.OK, cover.StatusCode);
            Assert.Equal("image/jpeg", cover.Content.Headers.ContentType?.MediaType);
        }

        // DEMO-012 (≡ 4 mod 8) also has the placeholder-avatar actor: listed, but without an avatar.
        using var actors = JsonDocument.Parse(await _http.GetStringAsync(Api("actors/?page_size=50")));
        var list = actors.RootElement.GetProperty("data").EnumerateArray().ToList();
        Assert.Contains(list, a => a.GetProperty("avatar_filename").ValueKind == JsonValueKind.Null);
        var withAvatar = list.First(a => a.GetProperty("avatar_filename").ValueKind == JsonValueKind.String);
        using var avatar = await _http.GetAsync(Api($"actors/{withAvatar.GetProperty("id").GetInt64()}/avatar"));
        Assert.Equal(HttpStatusCode.OK, avatar.StatusCode);
        Assert.StartsWith("image/", avatar.Content.Headers.ContentType?.MediaType);
    }, () => $"{_standalone.Tail(80)}\n{_site.Tail(20)}");
}
