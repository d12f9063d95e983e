using System.Text.Json;
using NasSav.Catalog.Data;
using NasSav.Catalog.Lifecycle;
using NasSav.Catalog.Tests.Lifecycle;
using NasSav.Catalog.Tests.Support;
using NasSav.Testing;

namespace NasSav.Catalog.Tests.Translations;

internal static class TranslationTestKit
{
    public static Dictionary<string, string?> On => new() { ["Translator:Enabled"] = "true" };

    public static Task<LifecycleApp> StartOnAsync(DbKind kind) => LifecycleApp.StartAsync(kind, On, translator: true);

    public static Task UntilStatusAsync(this LifecycleApp t, string avid, string status) =>
        Wait.UntilAsync(async () => (await t.App.FindAsync(avid))?.TranslationStatus == status, LifecycleApp.Patience,
            $"{avid} to have translation_status {status}");

    public static async Task<JsonElement> MetadataAsync(this LifecycleApp t, string avid) =>
        (await t.Client.ApiGetAsync($"/resource/metadata?avid={avid}")).Is(200).Data;

    public static string? Str(this JsonElement e, string name) =>
        e.GetProperty(name).ValueKind == JsonValueKind.Null ? null : e.GetProperty(name).GetString();
}

public sealed class When_a_title_is_added_with_the_translator_on
{
    [Theory, BothDatabases]
    public async Task Should_end_completed_with_the_translated_title_and_no_error(DbKind kind)
    {
        await using var t = await TranslationTestKit.StartOnAsync(kind);
        (await t.Client.SendAsync(HttpMethod.Post, "/resource", """{"avid":"TRC-001"}""")).Is(201);
        await t.UntilStatusAsync("TRC-001", TranslationStatuses.Completed);

        var m = await t.MetadataAsync("TRC-001");
        Assert.Equal("completed", m.Str("translation_status"));
        Assert.Equal("译:TRC-001 の日本語タイトル", m.Str("translated_title"));
        Assert.Null(m.Str("translation_error"));
        Assert.False(Assert.Single(t.Script.Translations).Force);
    }
}

public sealed class When_the_translator_fails_and_is_turned_back_on
{
    [Theory, BothDatabases]
    public async Task Should_keep_the_reason_then_complete_and_clear_it_after_a_batch_retranslate(DbKind kind)
    {
        await using var t = await TranslationTestKit.StartOnAsync(kind);
        t.Script.FailReason = "ollama: connection refused (http://127.0.0.1:11434)";
        (await t.Client.SendAsync(HttpMethod.Post, "/resource", """{"avid":"TRF-001"}""")).Is(201);
        await t.UntilStatusAsync("TRF-001", TranslationStatuses.Failed);

        var failed = await t.MetadataAsync("TRF-001");
        Assert.Equal("failed", failed.Str("translation_status"));
        Assert.Equal("ollama: connection refused (http://127.0.0.1:11434)", failed.Str("translation_error"));
        Assert.Equal("", failed.Str("translated_title"));
        var preview = (await t.Client.ApiGetAsync("/resource/TRF-001/preview")).Is(200).Data;
        Assert.Equal("failed", preview.Str("translation_status"));
        Assert.Equal("ollama: connection refused (http://127.0.0.1:11434)", preview.Str("translation_error"));
        await t.InStateAsync("TRF-001", m => m.Ready);

        t.Script.FailReason = null; // the LLM is back
        var answer = (await t.Client.SendAsync(HttpMethod.Post, "/translations/retranslate", """{"status":["failed"]}""")).Is(202);
        Assert.Equal(1, answer.Data.GetProperty("selected").GetInt32());
        Assert.Equal(1, answer.Data.GetProperty("queued").GetInt32());
        Assert.Equal(0, answer.Data.GetProperty("skipped").GetInt32());
        var item = Assert.Single(answer.Data.GetProperty("items").EnumerateArray());
        Assert.Equal("TRF-001", item.Str("avid"));
        Assert.Equal("queued", item.Str("status"));
        await t.UntilStatusAsync("TRF-001", TranslationStatuses.Completed);

        var fixedUp = await t.MetadataAsync("TRF-001");
        Assert.Equal("译:TRF-001 の日本語タイトル", fixedUp.Str("translated_title"));
        Assert.Null(fixedUp.Str("translation_error"));
        var retranslation = t.Script.Translations.Last();
        Assert.False(retranslation.Force);
        Assert.Equal("TRF-001 の日本語タイトル", retranslation.Text);
    }

    [Fact]
    public async Task Should_keep_a_timeout_as_the_reason()
    {
        await using var t = await LifecycleApp.StartAsync(DbKind.Sqlite,
            new Dictionary<string, string?> { ["Translator:Enabled"] = "true", ["Lifecycle:TranslationTimeoutSeconds"] = "0.5" }, translator: true);
        t.Script.Translate = _ => null;
        (await t.Client.SendAsync(HttpMethod.Post, "/resource", """{"avid":"TRT-001"}""")).Is(201);
        await t.UntilStatusAsync("TRT-001", TranslationStatuses.Failed);
        Assert.Equal("翻译超时 (0.5 s)", (await t.MetadataAsync("TRT-001")).Str("translation_error"));
    }
}

public sealed class When_a_title_has_only_its_source_title
{
    [Fact]
    public async Task Should_answer_a_retranslation_alone_that_has_nothing_to_translate_as_no_success()
    {
        await using var t = await TranslationTestKit.StartOnAsync(DbKind.Sqlite);
        await t.App.ResourceAsync("SRC-003", r => { r.OriginalTitle = ""; r.SourceTitle = "SRC-003"; r.Source = "Jable"; });

        var answer = (await t.Client.SendAsync(HttpMethod.Post, "/resource/refresh/SRC-003",
            """{"refresh_m3u8":false,"refresh_metadata":false,"retranslate":true}""")).Is(422);
        Assert.Equal("SRC-003 未重新翻译: SRC-003 没有可翻译的标题", answer.Message);
        Assert.True(answer.Data.GetProperty("translation_enabled").GetBoolean());
        Assert.Equal("SRC-003 没有可翻译的标题", answer.Data.Str("translation_error"));
        Assert.Empty(t.Script.Translations);
    }

    [Theory, BothDatabases]
    public async Task Should_translate_the_source_title_without_its_AVID_and_force_when_asked(DbKind kind)
    {
        await using var t = await TranslationTestKit.StartOnAsync(kind);
        await t.App.ResourceAsync("SRC-001", r => { r.OriginalTitle = ""; r.SourceTitle = "SRC-001 中文标题 第二部"; r.Source = "Jable"; });
        await t.App.ResourceAsync("SRC-002", r => { r.OriginalTitle = ""; r.SourceTitle = "SRC-002"; r.Source = "Jable"; });

        var answer = (await t.Client.SendAsync(HttpMethod.Post, "/translations/retranslate",
            """{"avids":["src-001","SRC-002","NON-404"],"force":true}""")).Is(202);
        Assert.Equal(2, answer.Data.GetProperty("selected").GetInt32());
        Assert.Equal(1, answer.Data.GetProperty("queued").GetInt32());
        Assert.Equal(2, answer.Data.GetProperty("skipped").GetInt32());
        var items = answer.Data.GetProperty("items").EnumerateArray().ToDictionary(i => i.Str("avid")!, i => i.Str("status"));
        Assert.Equal(new Dictionary<string, string?> { ["SRC-001"] = "queued", ["SRC-002"] = "no_title", ["NON-404"] = "not_found" }, items);

        await t.UntilStatusAsync("SRC-001", TranslationStatuses.Completed);
        var sent = Assert.Single(t.Script.Translations);
        Assert.Equal("中文标题 第二部", sent.Text);
        Assert.True(sent.Force);
        Assert.Equal("译:中文标题 第二部", (await t.App.FindAsync("SRC-001"))!.TranslatedTitle);
        Assert.Equal(TranslationStatuses.Skipped, (await t.App.FindAsync("SRC-002"))!.TranslationStatus);
    }

    [Theory]
    [InlineData("ABC-123 中文标题", "中文标题")]
    [InlineData("abc-123：中文标题", "中文标题")]
    [InlineData("[ABC-123] 中文标题", "中文标题")]
    [InlineData("【ABC-123】中文标题", "中文标题")]
    [InlineData("ABC-123 - 中文标题", "中文标题")]
    [InlineData("ABC-1234 中文标题", "ABC-1234 中文标题")]
    [InlineData("中文标题 ABC-123", "中文标题 ABC-123")]
    [InlineData("ABC-123", "")]
    [InlineData(null, "")]
    public void Should_strip_only_a_leading_AVID(string? title, string expected) =>
        Assert.Equal(expected, TranslationInput.WithoutAvid("ABC-123", title));

    [Fact]
    public void Should_prefer_the_original_title() =>
        Assert.Equal("日本語", TranslationInput.Of("ABC-123", " 日本語 ", "ABC-123 中文"));
}

public sealed class When_a_batch_retranslation_is_a_dry_run
{
    [Theory, BothDatabases]
    public async Task Should_select_without_queueing_and_count_statuses(DbKind kind)
    {
        await using var t = await TranslationTestKit.StartOnAsync(kind);
        await t.App.ResourceAsync("DRY-001", r => r.TranslationStatus = TranslationStatuses.Failed);
        await t.App.ResourceAsync("DRY-002", r => r.TranslationStatus = TranslationStatuses.Pending);
        await t.App.ResourceAsync("DRY-003", r => { r.TranslationStatus = TranslationStatuses.Completed; r.TranslatedTitle = "译"; });
        await t.App.ResourceAsync("DRY-004", r => r.TranslationStatus = TranslationStatuses.Skipped);

        var dry = (await t.Client.SendAsync(HttpMethod.Post, "/translations/retranslate", """{"dry_run":true}""")).Is(200);
        Assert.Equal(2, dry.Data.GetProperty("selected").GetInt32());
        Assert.Equal(0, dry.Data.GetProperty("queued").GetInt32());
        Assert.Equal(["DRY-001", "DRY-002"], dry.Data.GetProperty("items").EnumerateArray().Select(i => i.Str("avid")!).ToList());
        Assert.All(dry.Data.GetProperty("items").EnumerateArray(), i => Assert.Equal("selected", i.Str("status")));

        var limited = (await t.Client.SendAsync(HttpMethod.Post, "/translations/retranslate",
            """{"dry_run":true,"status":["completed","failed"],"limit":1}""")).Is(200);
        Assert.Equal("DRY-001", Assert.Single(limited.Data.GetProperty("items").EnumerateArray()).Str("avid"));

        var counts = (await t.Client.ApiGetAsync("/translations/status")).Is(200).Data;
        Assert.Equal(1, counts.GetProperty("failed").GetInt32());
        Assert.Equal(1, counts.GetProperty("pending").GetInt32());
        Assert.Equal(1, counts.GetProperty("completed").GetInt32());
        Assert.Equal(1, counts.GetProperty("skipped").GetInt32());
        Assert.Equal(0, counts.GetProperty("translating").GetInt32());
        Assert.Equal(4, counts.GetProperty("total").GetInt32());
        Assert.True(counts.GetProperty("translator_enabled").GetBoolean());
        var some = (await t.Client.ApiGetAsync("/translations/status?avid=DRY-001&avid=dry-003")).Is(200).Data;
        Assert.Equal(2, some.GetProperty("total").GetInt32());
        Assert.Equal(1, some.GetProperty("completed").GetInt32());

        Assert.Empty(t.Script.Translations);
        Assert.Equal(TranslationStatuses.Failed, (await t.App.FindAsync("DRY-001"))!.TranslationStatus);
    }

    [Fact]
    public async Task Should_answer_503_for_a_real_run_when_the_translator_is_disabled_but_still_dry_run()
    {
        await using var t = await LifecycleApp.StartAsync(DbKind.Sqlite);
        await t.App.ResourceAsync("OFF-001", r => r.TranslationStatus = TranslationStatuses.Failed);
        var refused = (await t.Client.SendAsync(HttpMethod.Post, "/translations/retranslate", "{}")).Is(503);
        Assert.Contains("Translator:Enabled", refused.Message);
        var dry = (await t.Client.SendAsync(HttpMethod.Post, "/translations/retranslate", """{"dry_run":true}""")).Is(200);
        Assert.Equal(1, dry.Data.GetProperty("selected").GetInt32());
        Assert.False((await t.Client.ApiGetAsync("/translations/status")).Is(200).Data.GetProperty("translator_enabled").GetBoolean());
    }
}

public sealed class When_a_batch_retranslation_is_malformed
{
    [Theory]
    [InlineData("[]")]
    [InlineData("{bad")]
    [InlineData("""{"statuses":["failed"]}""")]
    [InlineData("""{"status":"failed"}""")]
    [InlineData("""{"status":[]}""")]
    [InlineData("""{"status":["done"]}""")]
    [InlineData("""{"status":[1]}""")]
    [InlineData("""{"avids":"ABC-001"}""")]
    [InlineData("""{"avids":[]}""")]
    [InlineData("""{"avids":["../etc"]}""")]
    [InlineData("""{"dry_run":"yes"}""")]
    [InlineData("""{"force":1}""")]
    [InlineData("""{"limit":0}""")]
    [InlineData("""{"limit":10001}""")]
    [InlineData("""{"limit":2.5}""")]
    public async Task Should_answer_400_envelopes(string body)
    {
        await using var t = await TranslationTestKit.StartOnAsync(DbKind.Sqlite);
        (await t.Client.SendAsync(HttpMethod.Post, "/translations/retranslate", body)).Is(400);
        (await t.Client.ApiGetAsync("/translations/status?avid=..")).Is(400);
        Assert.Empty(t.Script.Translations);
    }
}
