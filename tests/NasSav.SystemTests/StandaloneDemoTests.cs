using System.Net;
using System.Text;
using System.Text.Json;
using NasSav.Testing;
using NasSav.Testing.FakeLlm;

namespace NasSav.SystemTests;

/// <summary>
/// The newcomer's path: the standalone host (one process, SQLite, in-memory bus) configured by
/// tools/NasSav.DemoSite/demo-config.yaml against the offline demo site.
/// </summary>
[Collection(DistributedCollection.Name)]
public sealed class StandaloneDemoTests : IAsyncLifetime
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private FakeLlmServer _llm = null!;
    private StandaloneDemo _demo = null!;

    public async Task InitializeAsync()
    {
        _llm = await FakeLlmServer.StartAsync();
        _demo = await StandaloneDemo.StartAsync(_http, "standalone-demo", null, StandaloneDemo.TranslatingWith(_llm));
    }

    public async Task DisposeAsync()
    {
        await _demo.DisposeAsync();
        await _llm.DisposeAsync();
        _http.Dispose();
    }

    private Uri Api(string path) => _demo.Api(path);

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
    }, () => $"{_demo.Standalone.Tail(80)}\n{_demo.Site.Tail(20)}");

    private async Task<JsonElement> MetadataAsync(string avid)
    {
        using var doc = JsonDocument.Parse(await _http.GetStringAsync(Api($"resource/metadata?avid={avid}")));
        return doc.RootElement.GetProperty("data").Clone();
    }

    [Fact]
    public Task Titles_are_translated_a_failed_translation_keeps_its_reason_and_a_retranslation_fixes_it() => SystemTestFailure.WithLogsAsync(async () =>
    {
        using (var add = await _http.PostAsync(Api("resource"), new StringContent("""{"avid":"DEMO-021"}""", Encoding.UTF8, "application/json")))
            Assert.Equal(HttpStatusCode.Created, add.StatusCode);
        await Wait.UntilAsync(async () => (await MetadataAsync("DEMO-021")).GetProperty("translation_status").GetString() == "completed",
            TimeSpan.FromSeconds(60), "DEMO-021's title to be translated");
        var done = await MetadataAsync("DEMO-021");
        Assert.Equal(FakeLlmServer.DefaultTranslate(done.GetProperty("original_title").GetString()!), done.GetProperty("translated_title").GetString());

        // The LLM goes away: the next title's translation fails and says why.
        _llm.Behaviour = FakeLlmBehaviour.Down;
        using (var add = await _http.PostAsync(Api("resource"), new StringContent("""{"avid":"DEMO-022"}""", Encoding.UTF8, "application/json")))
            Assert.Equal(HttpStatusCode.Created, add.StatusCode);
        await Wait.UntilAsync(async () => (await MetadataAsync("DEMO-022")).GetProperty("translation_status").GetString() == "failed",
            TimeSpan.FromSeconds(60), "DEMO-022's translation to fail");
        Assert.False(string.IsNullOrWhiteSpace((await MetadataAsync("DEMO-022")).GetProperty("translation_error").GetString()));

        // Back on, a retranslation of the failed titles fixes it and clears the reason.
        _llm.Behaviour = FakeLlmBehaviour.Normal;
        using (var retranslate = await _http.PostAsync(Api("translations/retranslate"), new StringContent("""{"status":["failed"]}""", Encoding.UTF8, "application/json")))
            Assert.Equal(HttpStatusCode.Accepted, retranslate.StatusCode);
        await Wait.UntilAsync(async () => (await MetadataAsync("DEMO-022")).GetProperty("translation_status").GetString() == "completed",
            TimeSpan.FromSeconds(60), "DEMO-022's retranslation");
        var fixedUp = await MetadataAsync("DEMO-022");
        Assert.Equal(JsonValueKind.Null, fixedUp.GetProperty("translation_error").ValueKind);
        Assert.False(string.IsNullOrEmpty(fixedUp.GetProperty("translated_title").GetString()));
    }, () => $"{_demo.Standalone.Tail(80)}\n{_demo.Site.Tail(20)}");
}
