using System.Net;
using System.Text.Json;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using NasSav.Testing;
using NasSav.Catalog.Data;
using NasSav.Catalog.Tests.Support;
using NasSav.Contracts.Lifecycle;
using NasSav.Contracts.Scraping;

namespace NasSav.Catalog.Tests.Lifecycle;

public sealed class When_an_avid_is_added
{
    [Theory, BothDatabases]
    public async Task Should_reach_ready_with_source_metadata_actors_genres_cover_and_thumbnails(DbKind kind)
    {
        await using var t = await LifecycleApp.StartAsync(kind);

        var answer = (await t.Client.SendAsync(HttpMethod.Post, "/resource", """{"avid":" abc-101 ","source":"any"}""")).Is(201);
        Assert.Equal("success", answer.Message);
        Assert.Equal("""{"avid":"ABC-101","original_title":"ABC-101 の日本語タイトル","source_title":"ABC-101 素人 テスト 作品","translated_title":null,"source":"Jable"}""",
            answer.Data.GetProperty("resource").GetRawText());
        Assert.True(answer.Data.GetProperty("cover_downloaded").GetBoolean());
        Assert.True(answer.Data.GetProperty("metadata_saved").GetBoolean());
        Assert.True(answer.Data.GetProperty("scraped").GetBoolean());

        var saga = await t.InStateAsync("ABC-101", m => m.Ready);
        Assert.Null(saga.FailedStep);
        Assert.NotNull(saga.SourceResolvedAt);
        Assert.NotNull(saga.MetadataCompletedAt);
        Assert.Null(saga.PendingRequestId);

        var fetch = Assert.Single(t.Script.Fetches);
        Assert.Equal("any", fetch.Source);
        var scrape = Assert.Single(t.Script.Scrapes);
        Assert.Equal("https://src.example/ABC-101.jpg", scrape.SourceCoverUrl);
        Assert.Equal("Jable", scrape.SourceName);
        Assert.Equal("https://src.example/v/ABC-101", scrape.SourcePageUrl);

        var row = await t.App.WithDbAsync(db => db.Resources.AsNoTracking()
            .Include(r => r.ActorLinks).ThenInclude(l => l.Actor).Include(r => r.GenreLinks).ThenInclude(l => l.Genre)
            .SingleAsync(r => r.Avid == "ABC-101"));
        Assert.Equal("Jable", row.Source);
        Assert.Equal("ABC-101 素人 テスト 作品", row.SourceTitle);
        Assert.Equal("https://cdn.example/abc-101/index.m3u8", row.M3u8);
        Assert.Equal("ABC-101 の日本語タイトル", row.OriginalTitle);
        Assert.Equal("2024-05-06", row.ReleaseDate);
        Assert.Equal(7200, row.Duration);
        Assert.Equal("ABC-101.jpg", row.CoverFilename);
        Assert.Equal(TranslationStatuses.Pending, row.TranslationStatus); // Translator:Enabled is false
        Assert.NotNull(row.MetadataCreatedAt);
        Assert.Equal(["演員 月子", "演員 花子"], row.ActorLinks.Select(l => l.Actor.Name).Order(StringComparer.Ordinal));
        Assert.Equal(["剧情", "单体"], row.GenreLinks.Select(l => l.Genre.Name).Order(StringComparer.Ordinal));
        var hanako = row.ActorLinks.Single(l => l.Actor.Name == "演員 花子").Actor;
        Assert.Equal(ScraperScript.AvatarUrl("演員 花子"), hanako.AvatarUrl);
        Assert.Equal(ScraperScript.AvatarFile("演員 花子"), hanako.AvatarFilename);
        var tsukiko = row.ActorLinks.Single(l => l.Actor.Name == "演員 月子").Actor;
        Assert.Null(tsukiko.AvatarUrl); // the placeholder picture is ignored
        Assert.Null(tsukiko.AvatarFilename);

        using var metadata = JsonDocument.Parse(row.Metadata!);
        var m = metadata.RootElement;
        Assert.Equal("https://cdn.example/abc-101/index.m3u8", m.GetProperty("m3u8").GetString());
        Assert.Equal("ABC-101 素人 テスト 作品", m.GetProperty("source_title").GetString());
        Assert.Equal("ABC-101", m.GetProperty("avid").GetString());
        Assert.Equal("Jable", m.GetProperty("source").GetString());
        Assert.Equal("ABC-101 の日本語タイトル", m.GetProperty("title").GetString());
        Assert.Equal("120分钟", m.GetProperty("duration").GetString());
        Assert.Equal("監督 太郎", m.GetProperty("director").GetString());
        Assert.Equal("スタジオ", m.GetProperty("studio").GetString());
        Assert.Equal("レーベル", m.GetProperty("label").GetString());
        Assert.Equal("シリーズ", m.GetProperty("series").GetString());
        Assert.Equal(2, m.GetProperty("genres").GetArrayLength());
        Assert.Equal(2, m.GetProperty("actors").GetArrayLength());
        Assert.Equal(ScraperScript.AvatarUrl("演員 花子"), m.GetProperty("actor_avatars").GetProperty("演員 花子").GetString());
        Assert.False(m.GetProperty("actor_avatars").TryGetProperty("演員 月子", out _));

        // Thumbnails are made by a consumer of the scrape result, beside the saga: they appear shortly after Ready.
        foreach (var size in new[] { "small", "medium", "large" })
            await t.WaitAsync(() => t.App.MediaExists($"thumbnails/{size}/ABC-101.jpg"), $"the {size} thumbnail");

        // The feed hears about Ready after the row is there.
        Assert.True(await t.Harness.Published.Any<ResourceStateChanged>(x => x.Context.Message.Avid == "ABC-101" && x.Context.Message.State == "Ready"));

        // The metadata view and the avatar are served from what the lifecycle stored.
        var view = (await t.Client.ApiGetAsync("/resource/metadata?avid=ABC-101")).Is(200);
        Assert.Equal("スタジオ", view.Data.GetProperty("studio").GetString());
        Assert.Equal("120分钟", view.Data.GetProperty("duration").GetString());

        // Source health aggregates the attempts of the source and the metadata steps (written after commit).
        await Wait.UntilAsync(async () => (await t.App.WithDbAsync(db => db.SourceHealth.CountAsync())) == 3, LifecycleApp.Patience, "three health rows");
        var health = (await t.Client.ApiGetAsync("/source/health")).Is(200);
        var bySource = health.Data.EnumerateArray().ToDictionary(e => e.GetProperty("source").GetString()!);
        Assert.Equal(["Jable", "JavBus", "MissAV"], bySource.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(1, bySource["Jable"].GetProperty("success_count").GetInt64());
        Assert.Equal(0, bySource["Jable"].GetProperty("failure_count").GetInt64());
        Assert.Equal(JsonValueKind.String, bySource["Jable"].GetProperty("last_success_at").ValueKind);
        Assert.Equal(1, bySource["MissAV"].GetProperty("failure_count").GetInt64());
        Assert.Equal("not_found (404)", bySource["MissAV"].GetProperty("last_error").GetString());
        Assert.Equal(JsonValueKind.Null, bySource["MissAV"].GetProperty("last_success_at").ValueKind);

        // Known now: a second add is a 409 carrying the resource, and asks the scraper nothing.
        var again = (await t.Client.SendAsync(HttpMethod.Post, "/resource", """{"avid":"ABC-101"}""")).Is(409);
        Assert.Equal("ABC-101", again.Data.GetProperty("avid").GetString());
        Assert.Single(t.Script.Fetches);
    }

    [Theory, BothDatabases]
    public async Task Should_record_health_counts_across_adds(DbKind kind)
    {
        await using var t = await LifecycleApp.StartAsync(kind);
        (await t.Client.SendAsync(HttpMethod.Post, "/resource", """{"avid":"HLT-001"}""")).Is(201);
        (await t.Client.SendAsync(HttpMethod.Post, "/resource", """{"avid":"HLT-002"}""")).Is(201);
        await Wait.UntilAsync(async () => (await t.App.WithDbAsync(db => db.SourceHealth.SumAsync(r => r.SuccessCount + r.FailureCount))) == 6,
            LifecycleApp.Patience, "six recorded attempts");
        var rows = await t.App.WithDbAsync(db => db.SourceHealth.AsNoTracking().ToListAsync());
        Assert.Equal(2, rows.Single(r => r.Source == "Jable").SuccessCount);
        Assert.Equal(2, rows.Single(r => r.Source == "MissAV").FailureCount);
        Assert.Equal(2, rows.Single(r => r.Source == "JavBus").SuccessCount);
    }
}

public sealed class When_the_same_avid_is_added_twice_at_once
{
    [Theory, BothDatabases]
    public async Task Should_create_one_instance_and_one_row_and_answer_409_to_the_loser(DbKind kind)
    {
        await using var t = await LifecycleApp.StartAsync(kind);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        t.Script.Sources["DUP-001"] = new SourcePlan.Resolve { Gate = gate };

        var first = t.Client.SendAsync(HttpMethod.Post, "/resource", """{"avid":"DUP-001"}""");
        var second = t.Client.SendAsync(HttpMethod.Post, "/resource", """{"avid":"dup-001"}""");
        // The source step is held, so only the loser can have its answer now.
        var loser = await Task.WhenAny(first, second);
        var lost = (await loser).Is(409);
        Assert.Equal("资源 DUP-001 正在处理中", lost.Message);
        Assert.Equal("DUP-001", lost.Data.GetProperty("avid").GetString());
        gate.SetResult();
        var winner = await (loser == first ? second : first);
        winner.Is(201);

        await t.InStateAsync("DUP-001", m => m.Ready);
        Assert.Single(t.Script.Fetches);
        Assert.Single(t.Script.Scrapes);
        Assert.Equal(1, await t.App.WithDbAsync(db => db.Resources.CountAsync(r => r.Avid == "DUP-001")));
        Assert.Equal("Ready", t.Instance("DUP-001")!.CurrentState);
    }
}

public sealed class When_the_source_cannot_be_resolved
{
    [Theory]
    [InlineData(DbKind.Sqlite, 403, "访问SRC-403被拒绝。MissAV:403, Jable:404")]
    [InlineData(DbKind.Postgres, 403, "访问SRC-403被拒绝。MissAV:403, Jable:404")]
    [InlineData(DbKind.Sqlite, 404, "获取SRC-404失败。MissAV:404, Jable:404")]
    [InlineData(DbKind.Postgres, 404, "获取SRC-404失败。MissAV:404, Jable:404")]
    [InlineData(DbKind.Sqlite, 502, "获取SRC-502失败。MissAV:500, Jable:timeout")]
    [InlineData(DbKind.Postgres, 502, "获取SRC-502失败。MissAV:500, Jable:timeout")]
    public async Task Should_answer_the_source_code_and_leave_no_row(DbKind kind, int code, string message)
    {
        await using var t = await LifecycleApp.StartAsync(kind);
        var avid = $"SRC-{code}";
        t.Script.Sources[avid] = new SourcePlan.NotResolved(code, message);

        var answer = (await t.Client.SendAsync(HttpMethod.Post, "/resource", $$"""{"avid":"{{avid}}"}""")).Is(code);
        Assert.Equal(message, answer.Message);

        var saga = await t.InStateAsync(avid, m => m.Failed);
        Assert.Equal("source", saga.FailedStep);
        Assert.Equal(message, saga.FailureReason);
        Assert.Equal(code, saga.FailureCode);
        Assert.Null(await t.App.FindAsync(avid));
        Assert.Empty(t.Script.Scrapes);
        Assert.True(await t.Harness.Published.Any<ResourceStateChanged>(x => x.Context.Message.Avid == avid && x.Context.Message.State == "Failed"
            && x.Context.Message.FailedStep == "source"));
        await Wait.UntilAsync(async () => (await t.App.WithDbAsync(db => db.SourceHealth.Where(h => h.Source == "MissAV").Select(h => h.FailureCount).FirstOrDefaultAsync())) == 1,
            LifecycleApp.Patience, "MissAV's failure to be counted");

        // A failed add left nothing behind, so adding again starts over (and can succeed).
        t.Script.Sources[avid] = new SourcePlan.Resolve();
        (await t.Client.SendAsync(HttpMethod.Post, "/resource", $$"""{"avid":"{{avid}}"}""")).Is(201);
        Assert.Equal(2, t.Script.Fetches.Count);
    }
}

public sealed class When_no_metadata_site_has_the_avid
{
    [Theory, BothDatabases]
    public async Task Should_still_be_ready_with_the_source_data_and_scraped_false(DbKind kind)
    {
        await using var t = await LifecycleApp.StartAsync(kind);
        t.Script.Metadata["NOM-001"] = new MetadataPlan.NotFound(WriteCover: true);

        var answer = (await t.Client.SendAsync(HttpMethod.Post, "/resource", """{"avid":"NOM-001"}""")).Is(201);
        Assert.False(answer.Data.GetProperty("scraped").GetBoolean());
        Assert.True(answer.Data.GetProperty("cover_downloaded").GetBoolean());
        Assert.Equal("", answer.Data.GetProperty("resource").GetProperty("original_title").GetString());

        await t.InStateAsync("NOM-001", m => m.Ready);
        var row = (await t.App.FindAsync("NOM-001"))!;
        Assert.Equal("Jable", row.Source);
        Assert.Equal("NOM-001 素人 テスト 作品", row.SourceTitle);
        Assert.Equal("", row.OriginalTitle);
        Assert.Null(row.Duration);
        Assert.Equal("NOM-001.jpg", row.CoverFilename);
        using var metadata = JsonDocument.Parse(row.Metadata!);
        Assert.Equal(["avid", "m3u8", "source", "source_title"], metadata.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        await t.WaitAsync(() => t.App.MediaExists("thumbnails/medium/NOM-001.jpg"), "the source cover's thumbnail");
    }
}

public sealed class When_the_scraper_faults
{
    [Theory, BothDatabases]
    public async Task Should_fail_the_source_step_with_the_fault_as_reason(DbKind kind)
    {
        await using var t = await LifecycleApp.StartAsync(kind);
        t.Script.Sources["FLT-001"] = new SourcePlan.Throw("parser exploded");

        var answer = (await t.Client.SendAsync(HttpMethod.Post, "/resource", """{"avid":"FLT-001"}""")).Is(502);
        Assert.Contains("parser exploded", answer.Message);
        var saga = await t.InStateAsync("FLT-001", m => m.Failed);
        Assert.Equal("source", saga.FailedStep);
        Assert.Contains("parser exploded", saga.FailureReason);
        Assert.True(await t.Harness.Published.Any<MassTransit.Fault<FetchSource>>());
        Assert.Null(await t.App.FindAsync("FLT-001"));
    }

    [Fact]
    public async Task Should_keep_the_source_data_when_the_metadata_step_faults()
    {
        await using var t = await LifecycleApp.StartAsync(DbKind.Sqlite);
        t.Script.Metadata["FLT-002"] = new MetadataPlan.Throw("site layout changed");

        var answer = (await t.Client.SendAsync(HttpMethod.Post, "/resource", """{"avid":"FLT-002"}""")).Is(201);
        Assert.False(answer.Data.GetProperty("scraped").GetBoolean());
        var saga = await t.InStateAsync("FLT-002", m => m.Failed);
        Assert.Equal("metadata", saga.FailedStep);
        Assert.Contains("site layout changed", saga.FailureReason);
        Assert.Equal("Jable", (await t.App.FindAsync("FLT-002"))!.Source);
    }
}

public sealed class When_a_step_times_out
{
    [Fact]
    public async Task Should_fail_with_a_timeout_and_leave_no_timer_behind()
    {
        await using var t = await LifecycleApp.StartAsync(DbKind.Sqlite, new Dictionary<string, string?> { ["Lifecycle:SourceTimeoutSeconds"] = "0.5" });
        t.Script.Sources["TMO-001"] = new SourcePlan.Silent();

        var answer = (await t.Client.SendAsync(HttpMethod.Post, "/resource", """{"avid":"TMO-001"}""")).Is(504);
        Assert.Contains("timeout", answer.Message);
        var saga = await t.InStateAsync("TMO-001", m => m.Failed);
        Assert.Equal("source", saga.FailedStep);
        Assert.Null(saga.StepTimeoutTokenId);
        Assert.Null(await t.App.FindAsync("TMO-001"));
        // The timeout was a due row of the outbox (not the harness's delayed scheduler): delivered, then gone.
        Assert.True(await t.Harness.Consumed.Any<NasSav.Catalog.Lifecycle.LifecycleStepTimedOut>());
        await t.WaitAsync(async () => (await t.OutboxAsync()).Count == 0, "the outbox to be empty");
    }

    [Fact]
    public async Task Should_cancel_the_timeout_when_the_step_answers()
    {
        await using var t = await LifecycleApp.StartAsync(DbKind.Sqlite);
        (await t.Client.SendAsync(HttpMethod.Post, "/resource", """{"avid":"TMO-002"}""")).Is(201);
        await t.InStateAsync("TMO-002", m => m.Ready);
        // Each step's answer removed its timeout's row in the same transaction: none is left to fire.
        Assert.DoesNotContain(await t.OutboxAsync(), r => r.TokenId is not null);
        Assert.False(await t.Harness.Consumed.Any<NasSav.Catalog.Lifecycle.LifecycleStepTimedOut>());
    }

    [Fact]
    public async Task Should_mark_the_translation_failed_when_the_translator_never_answers()
    {
        await using var t = await LifecycleApp.StartAsync(DbKind.Sqlite,
            new Dictionary<string, string?> { ["Translator:Enabled"] = "true", ["Lifecycle:TranslationTimeoutSeconds"] = "0.5" }, translator: true);
        t.Script.Translate = _ => null;
        (await t.Client.SendAsync(HttpMethod.Post, "/resource", """{"avid":"TMO-003"}""")).Is(201);
        await t.InStateAsync("TMO-003", m => m.Ready);
        Assert.Equal(TranslationStatuses.Failed, (await t.App.FindAsync("TMO-003"))!.TranslationStatus);
    }
}

public sealed class When_the_translator_is_enabled
{
    [Fact]
    public async Task Should_translate_the_scraped_title_and_then_be_ready()
    {
        await using var t = await LifecycleApp.StartAsync(DbKind.Sqlite, new Dictionary<string, string?> { ["Translator:Enabled"] = "true" }, translator: true);
        (await t.Client.SendAsync(HttpMethod.Post, "/resource", """{"avid":"TRN-001"}""")).Is(201);
        await t.InStateAsync("TRN-001", m => m.Ready);
        var row = (await t.App.FindAsync("TRN-001"))!;
        Assert.Equal("译:TRN-001 の日本語タイトル", row.TranslatedTitle);
        Assert.Equal(TranslationStatuses.Completed, row.TranslationStatus);
        Assert.Equal("TRN-001 の日本語タイトル", Assert.Single(t.Script.Translations).Text);
    }
}

public sealed class When_the_add_outlasts_the_wait
{
    [Theory, BothDatabases]
    public async Task Should_answer_202_then_finish_in_the_background(DbKind kind)
    {
        await using var t = await LifecycleApp.StartAsync(kind, new Dictionary<string, string?> { ["Lifecycle:AddWaitSeconds"] = "0.3" });
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        t.Script.Sources["SLW-001"] = new SourcePlan.Resolve { Gate = gate };

        var answer = (await t.Client.SendAsync(HttpMethod.Post, "/resource", """{"avid":"SLW-001"}""")).Is(202);
        Assert.Equal("""{"avid":"SLW-001"}""", answer.Data.GetRawText());
        gate.SetResult();
        await t.InStateAsync("SLW-001", m => m.Ready);
        var exists = (await t.Client.SendAsync(HttpMethod.Post, "/resource", """{"avid":"SLW-001"}""")).Is(409);
        Assert.Equal("SLW-001 の日本語タイトル", exists.Data.GetProperty("original_title").GetString());
    }

    /// <summary>
    /// A request client's message would expire with its wait: on a busy catalog the saga could then never see an add
    /// that was already answered 202 ("still running"). Seen once in CI as an add that never existed.
    /// </summary>
    [Fact]
    public async Task Should_send_the_add_without_a_time_to_live()
    {
        await using var t = await LifecycleApp.StartAsync(DbKind.Sqlite);
        await t.Client.SendAsync(HttpMethod.Post, "/resource", """{"avid":"TTL-001"}""");
        var sent = await t.Harness.Published.SelectAsync<AddResource>(m => m.Context.Message.Avid == "TTL-001").FirstOrDefault();
        Assert.NotNull(sent);
        Assert.Null(sent.Context.TimeToLive);
    }
}

public sealed class When_a_resource_is_deleted
{
    [Fact]
    public async Task Should_finalize_the_lifecycle_so_a_new_add_starts_afresh()
    {
        await using var t = await LifecycleApp.StartAsync(DbKind.Sqlite);
        (await t.Client.SendAsync(HttpMethod.Post, "/resource", """{"avid":"DEL-001"}""")).Is(201);
        await t.InStateAsync("DEL-001", m => m.Ready);

        (await t.Client.SendAsync(HttpMethod.Delete, "/resource/DEL-001")).Is(200);
        var gone = await t.Saga.NotExists(NasSav.Media.Avids.Avid.Parse("DEL-001").CorrelationId, LifecycleApp.Patience);
        Assert.Null(gone);

        (await t.Client.SendAsync(HttpMethod.Post, "/resource", """{"avid":"DEL-001"}""")).Is(201);
        Assert.Equal(2, t.Script.Fetches.Count);
    }
}
