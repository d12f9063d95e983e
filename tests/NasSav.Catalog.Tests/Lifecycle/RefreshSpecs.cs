using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NasSav.Catalog.Data;
using NasSav.Catalog.Tests.Support;
using NasSav.Contracts.Lifecycle;
using NasSav.Media.Avids;

namespace NasSav.Catalog.Tests.Lifecycle;

public sealed class When_a_resource_is_refreshed
{
    private static Task<Resource> LoadAsync(LifecycleApp t, string avid) =>
        t.App.WithDbAsync(db => db.Resources.AsNoTracking()
            .Include(r => r.ActorLinks).ThenInclude(l => l.Actor).Include(r => r.GenreLinks).ThenInclude(l => l.Genre)
            .SingleAsync(r => r.Avid == avid));

    [Theory, BothDatabases]
    public async Task Should_replace_actor_and_genre_links_instead_of_adding(DbKind kind)
    {
        await using var t = await LifecycleApp.StartAsync(kind);
        (await t.Client.SendAsync(HttpMethod.Post, "/resource", """{"avid":"REF-101"}""")).Is(201);
        await t.InStateAsync("REF-101", m => m.Ready);

        t.Script.Metadata["REF-101"] = new MetadataPlan.Scrape("REF-101 の日本語タイトル", ["演員 月子", "演員 星子"], ["新分类"]);
        var answer = (await t.Client.SendAsync(HttpMethod.Post, "/resource/refresh/REF-101",
            """{"refresh_m3u8":false,"refresh_metadata":true,"retranslate":false}""")).Is(200);
        Assert.True(answer.Data.GetProperty("metadata_refreshed").GetBoolean());
        Assert.True(answer.Data.GetProperty("scraped").GetBoolean());
        Assert.False(answer.Data.GetProperty("m3u8_refreshed").GetBoolean());
        Assert.True(answer.Data.GetProperty("cover_downloaded").GetBoolean());
        Assert.Equal(["演員 星子", "演員 月子"], answer.Data.GetProperty("resource").GetProperty("actors").EnumerateArray().Select(a => a.GetString()));
        Assert.False(answer.Data.TryGetProperty("translation_queued", out _));

        await t.InStateAsync("REF-101", m => m.Ready);
        var row = await LoadAsync(t, "REF-101");
        Assert.Equal(["演員 星子", "演員 月子"], row.ActorLinks.Select(l => l.Actor.Name).Order(StringComparer.Ordinal));
        Assert.Equal(["新分类"], row.GenreLinks.Select(l => l.Genre.Name));
        // The m3u8 was not asked for: the source was not fetched again.
        Assert.Single(t.Script.Fetches);
        Assert.Equal(2, t.Script.Scrapes.Count);
        // The unlinked actor and genre stay in the library (other titles may use them).
        Assert.True(await t.App.WithDbAsync(db => db.Actors.AnyAsync(a => a.Name == "演員 花子")));
    }

    [Theory, BothDatabases]
    public async Task Should_keep_metadata_and_translation_when_only_the_m3u8_is_refreshed(DbKind kind)
    {
        await using var t = await LifecycleApp.StartAsync(kind);
        (await t.Client.SendAsync(HttpMethod.Post, "/resource", """{"avid":"REF-102"}""")).Is(201);
        await t.InStateAsync("REF-102", m => m.Ready);
        await t.App.WithDbAsync(async db =>
        {
            var r = await db.Resources.SingleAsync(x => x.Avid == "REF-102");
            r.TranslatedTitle = "中文标题";
            r.TranslationStatus = TranslationStatuses.Completed;
            await db.SaveChangesAsync();
        });
        var before = await LoadAsync(t, "REF-102");

        t.Script.Sources["REF-102"] = new SourcePlan.Resolve(M3u8: "https://cdn.example/ref-102/v2.m3u8");
        var answer = (await t.Client.SendAsync(HttpMethod.Post, "/resource/refresh/ref-102",
            """{"refresh_m3u8":true,"refresh_metadata":"false","retranslate":false}""")).Is(200);
        Assert.True(answer.Data.GetProperty("m3u8_refreshed").GetBoolean());
        Assert.True(answer.Data.GetProperty("m3u8_updated").GetBoolean());
        Assert.False(answer.Data.GetProperty("metadata_refreshed").GetBoolean());
        Assert.Equal("https://cdn.example/ref-102/v2.m3u8", answer.Data.GetProperty("resource").GetProperty("m3u8").GetString());

        var after = await LoadAsync(t, "REF-102");
        Assert.Equal("https://cdn.example/ref-102/v2.m3u8", after.M3u8);
        Assert.Equal("中文标题", after.TranslatedTitle);
        Assert.Equal(TranslationStatuses.Completed, after.TranslationStatus);
        Assert.Equal(before.OriginalTitle, after.OriginalTitle);
        Assert.Equal(before.Duration, after.Duration);
        Assert.Equal(before.ActorLinks.Count, after.ActorLinks.Count);
        using var metadata = JsonDocument.Parse(after.Metadata!);
        Assert.Equal("監督 太郎", metadata.RootElement.GetProperty("director").GetString());
        Assert.Equal("スタジオ", metadata.RootElement.GetProperty("studio").GetString());
        Assert.Equal("https://cdn.example/ref-102/v2.m3u8", metadata.RootElement.GetProperty("m3u8").GetString());
        // The stored source was asked, by name.
        Assert.Equal(["any", "Jable"], t.Script.Fetches.Select(f => f.Source));
        Assert.Single(t.Script.Scrapes);
    }

    [Theory, BothDatabases]
    public async Task Should_answer_404_for_an_unknown_avid_and_leave_no_instance(DbKind kind)
    {
        await using var t = await LifecycleApp.StartAsync(kind);
        var answer = (await t.Client.SendAsync(HttpMethod.Post, "/resource/refresh/NOPE-404", "{}")).Is(404);
        Assert.Equal("获取NOPE-404失败。database:404", answer.Message);

        // The saga itself checks too (a request that bypasses the endpoint): not_found, nothing kept.
        var avid = Avid.Parse("NOPE-405");
        var client = t.Harness.GetRequestClient<RefreshResource>();
        var response = await client.GetResponse<ResourceRefreshResult>(new RefreshResource
        {
            CorrelationId = avid.CorrelationId, Avid = avid.Value, RefreshM3u8 = true, RefreshMetadata = true,
        });
        Assert.Equal(ResourceRefreshResult.NotFound, response.Message.Outcome);
        Assert.Equal(404, response.Message.Code);
        Assert.Null(await t.Saga.NotExists(avid.CorrelationId, LifecycleApp.Patience));
        Assert.Empty(t.Script.Fetches);
    }

    [Theory, BothDatabases]
    public async Task Should_keep_the_source_error_code(DbKind kind)
    {
        await using var t = await LifecycleApp.StartAsync(kind);
        (await t.Client.SendAsync(HttpMethod.Post, "/resource", """{"avid":"REF-403"}""")).Is(201);
        await t.InStateAsync("REF-403", m => m.Ready);
        t.Script.Sources["REF-403"] = new SourcePlan.NotResolved(403, "访问REF-403被拒绝。Jable:403");

        var answer = (await t.Client.SendAsync(HttpMethod.Post, "/resource/refresh/REF-403", "{}")).Is(403);
        Assert.Equal("访问REF-403被拒绝。Jable:403", answer.Message);
        var saga = await t.InStateAsync("REF-403", m => m.Failed);
        Assert.Equal("source", saga.FailedStep);
        // The stored data is untouched.
        Assert.Equal("https://cdn.example/ref-403/index.m3u8", (await t.App.FindAsync("REF-403"))!.M3u8);

        // A later refresh may run again from Failed.
        t.Script.Sources["REF-403"] = new SourcePlan.Resolve();
        (await t.Client.SendAsync(HttpMethod.Post, "/resource/refresh/REF-403", """{"refresh_metadata":false}""")).Is(200);
        await t.InStateAsync("REF-403", m => m.Ready);
    }

    [Fact]
    public async Task Should_answer_409_while_another_step_of_the_avid_runs()
    {
        await using var t = await LifecycleApp.StartAsync(DbKind.Sqlite, new Dictionary<string, string?> { ["Lifecycle:AddWaitSeconds"] = "0.3" });
        await t.App.ResourceAsync("BSY-001", r => r.Source = "Jable");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        t.Script.Sources["BSY-001"] = new SourcePlan.Resolve { Gate = gate };

        var running = t.Client.SendAsync(HttpMethod.Post, "/resource/refresh/BSY-001", "{}");
        await t.InStateAsync("BSY-001", m => m.ResolvingSource);
        var busy = (await t.Client.SendAsync(HttpMethod.Post, "/resource/refresh/BSY-001", "{}")).Is(409);
        Assert.Equal("资源 BSY-001 正在处理中", busy.Message);
        gate.SetResult();
        (await running).Is(200);
        Assert.Single(t.Script.Fetches);
    }

    [Fact]
    public async Task Should_queue_a_retranslation_only_when_the_translator_is_enabled()
    {
        await using (var off = await LifecycleApp.StartAsync(DbKind.Sqlite))
        {
            await off.App.ResourceAsync("RTR-001", r => { r.Source = "Jable"; r.TranslatedTitle = "旧译"; r.TranslationStatus = TranslationStatuses.Completed; });
            // The 翻译 preset alone: nothing can happen, so the answer is no success and says translation is off.
            var answer = (await off.Client.SendAsync(HttpMethod.Post, "/resource/refresh/RTR-001",
                """{"refresh_m3u8":false,"refresh_metadata":false,"retranslate":true}""")).Is(503);
            Assert.Equal("翻译服务未启用 (Translator:Enabled=false): 标题未重新翻译", answer.Message);
            Assert.False(answer.Data.GetProperty("translation_enabled").GetBoolean());
            Assert.Contains("Translator:Enabled", answer.Data.GetProperty("translation_error").GetString());
            Assert.Equal("RTR-001", answer.Data.GetProperty("resource").GetProperty("avid").GetString());
            Assert.False(answer.Data.TryGetProperty("m3u8_refreshed", out _));
            Assert.Equal("旧译", (await off.App.FindAsync("RTR-001"))!.TranslatedTitle);
            Assert.Empty(off.Script.Fetches);

            // Metadata + 翻译: the metadata refresh is done (a success), and the message and a field say translation is off.
            var partly = (await off.Client.SendAsync(HttpMethod.Post, "/resource/refresh/RTR-001",
                """{"refresh_m3u8":false,"refresh_metadata":true,"retranslate":true}""")).Is(200);
            Assert.Contains("翻译服务未启用", partly.Message);
            Assert.False(partly.Data.GetProperty("translation_enabled").GetBoolean());
            Assert.Contains("Translator:Enabled", partly.Data.GetProperty("translation_error").GetString());
            Assert.True(partly.Data.GetProperty("metadata_saved").GetBoolean());
        }

        await using var on = await LifecycleApp.StartAsync(DbKind.Sqlite, new Dictionary<string, string?> { ["Translator:Enabled"] = "true" }, translator: true);
        await on.App.ResourceAsync("RTR-002", r => { r.Source = "Jable"; r.TranslatedTitle = "旧译"; r.TranslationStatus = TranslationStatuses.Completed; });
        var queued = (await on.Client.SendAsync(HttpMethod.Post, "/resource/refresh/RTR-002",
            """{"refresh_m3u8":false,"refresh_metadata":false,"retranslate":true}""")).Is(200);
        Assert.True(queued.Data.GetProperty("translation_queued").GetBoolean());
        Assert.True(queued.Data.GetProperty("translation_enabled").GetBoolean());
        Assert.Equal("success", queued.Message);
        await on.InStateAsync("RTR-002", m => m.Ready);
        var row = (await on.App.FindAsync("RTR-002"))!;
        Assert.Equal("译:RTR-002 测试作品", row.TranslatedTitle);
        Assert.Equal(TranslationStatuses.Completed, row.TranslationStatus);
        Assert.True(Assert.Single(on.Script.Translations).Force);
    }
}
