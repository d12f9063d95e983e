using Microsoft.EntityFrameworkCore;
using NasSav.Catalog.Lifecycle;
using NasSav.Catalog.Tests.Support;
using NasSav.Catalog.Watchdog;
using NasSav.Media.Avids;
using NasSav.Sagas.Outbox;

namespace NasSav.Catalog.Tests.Lifecycle;

/// <summary>The rows without metadata: adding the AVID again resumed nothing and answered 409.</summary>
public sealed class When_an_avid_whose_row_has_no_metadata_is_added_again
{
    [Theory, BothDatabases]
    public async Task Should_resume_its_lifecycle_and_answer_as_an_add(DbKind kind)
    {
        await using var t = await LifecycleApp.StartAsync(kind);
        t.Script.Metadata["RES-001"] = new MetadataPlan.Throw("metadata site down");
        (await t.Client.SendAsync(HttpMethod.Post, "/resource", """{"avid":"RES-001"}""")).Is(201);
        await t.InStateAsync("RES-001", m => m.Failed);
        Assert.Equal("", (await t.App.FindAsync("RES-001"))!.OriginalTitle);

        t.Script.Metadata.TryRemove("RES-001", out _);
        var again = (await t.Client.SendAsync(HttpMethod.Post, "/resource", """{"avid":"RES-001"}""")).Is(201);

        Assert.True(again.Data.GetProperty("scraped").GetBoolean());
        await t.InStateAsync("RES-001", m => m.Ready);
        Assert.Equal("RES-001 の日本語タイトル", (await t.App.FindAsync("RES-001"))!.OriginalTitle);
        // The source was known: only the metadata step ran again.
        Assert.Single(t.Script.Fetches, f => f.Avid == "RES-001");
        Assert.Equal(2, t.Script.Scrapes.Count(s => s.Avid == "RES-001"));

        // With its metadata the row exists for good.
        (await t.Client.SendAsync(HttpMethod.Post, "/resource", """{"avid":"RES-001"}""")).Is(409);
    }

    [Theory, BothDatabases]
    public async Task Should_give_a_row_without_a_lifecycle_one_through_the_batch(DbKind kind)
    {
        await using var t = await LifecycleApp.StartAsync(kind);
        await t.App.ResourceAsync("RES-002", r => { r.OriginalTitle = ""; r.Source = "Jable"; r.M3u8 = "https://cdn.example/res-002/index.m3u8"; });

        var answer = (await t.Client.SendAsync(HttpMethod.Post, "/resources/batch", """{"actions":[{"action":"add","avid":"RES-002"}]}""")).Is(200);

        var result = Assert.Single(answer.Data.GetProperty("results").EnumerateArray());
        Assert.Equal(201, result.GetProperty("code").GetInt32());
        await t.InStateAsync("RES-002", m => m.Ready);
        Assert.Equal("RES-002 の日本語タイトル", (await t.App.FindAsync("RES-002"))!.OriginalTitle);
        Assert.Empty(t.Script.Fetches);
    }
}

public sealed class When_the_watchdog_runs
{
    private static Dictionary<string, string?> Watchdog(string maxAutoRepairs = "3") => new()
    {
        ["Lifecycle:Watchdog:Enabled"] = "true",
        ["Lifecycle:Watchdog:IntervalSeconds"] = "0.3",
        ["Lifecycle:Watchdog:RetryAfterSeconds"] = "0",
        ["Lifecycle:Watchdog:GraceSeconds"] = "0",
        ["Lifecycle:Watchdog:MaxAutoRepairs"] = maxAutoRepairs,
    };

    [Theory, BothDatabases]
    public async Task Should_resume_a_failed_metadata_step_until_it_succeeds(DbKind kind)
    {
        await using var t = await LifecycleApp.StartAsync(kind, Watchdog());
        t.Script.Metadata["WDG-001"] = new MetadataPlan.Throw("metadata site down");
        (await t.Client.SendAsync(HttpMethod.Post, "/resource", """{"avid":"WDG-001"}""")).Is(201);
        await t.WaitAsync(() => t.Script.Scrapes.Count(s => s.Avid == "WDG-001") >= 2, "the watchdog to resend ScrapeMetadata");

        t.Script.Metadata.TryRemove("WDG-001", out _);

        var saga = await t.InStateAsync("WDG-001", m => m.Ready);
        Assert.Equal(0, saga.RepairAttempts);
        Assert.Equal("WDG-001 の日本語タイトル", (await t.App.FindAsync("WDG-001"))!.OriginalTitle);
    }

    /// <summary>The sagas stuck for good: the step's timeout never came. The watchdog resends the step.</summary>
    [Theory, BothDatabases]
    public async Task Should_resend_a_step_past_its_deadline(DbKind kind)
    {
        var settings = Watchdog();
        settings["Lifecycle:SourceTimeoutSeconds"] = "3600";
        settings["Lifecycle:AddWaitSeconds"] = "0.5";
        await using var t = await LifecycleApp.StartAsync(kind, settings);
        t.Script.Sources["WDG-002"] = new SourcePlan.Silent();
        (await t.Client.SendAsync(HttpMethod.Post, "/resource", """{"avid":"WDG-002"}""")).Is(202);
        await t.InStateAsync("WDG-002", m => m.ResolvingSource);
        // Lose the timeout (as the in-memory timer of a failed attempt was) and let the deadline pass.
        await t.App.WithDbAsync(async db =>
        {
            await db.Set<OutboxMessage>().Where(x => x.TokenId != null).ExecuteDeleteAsync();
            var id = Avid.Parse("WDG-002").CorrelationId;
            await db.ResourceLifecycles.Where(x => x.CorrelationId == id)
                .ExecuteUpdateAsync(x => x.SetProperty(l => l.StepDeadline, DateTime.UtcNow.AddMinutes(-5)));
        });

        t.Script.Sources["WDG-002"] = new SourcePlan.Resolve();

        var saga = await t.InStateAsync("WDG-002", m => m.Ready);
        Assert.Equal(2, t.Script.Fetches.Count(f => f.Avid == "WDG-002"));
        Assert.NotNull(saga.LastRepairAt);
    }

    [Theory, BothDatabases]
    public async Task Should_list_what_it_may_not_resume_and_repair_it_on_request(DbKind kind)
    {
        await using var t = await LifecycleApp.StartAsync(kind, Watchdog(maxAutoRepairs: "1"));
        t.Script.Sources["WDG-404"] = new SourcePlan.NotResolved(404, "获取WDG-404失败。MissAV:404");
        t.Script.Metadata["WDG-003"] = new MetadataPlan.Throw("still down");
        (await t.Client.SendAsync(HttpMethod.Post, "/resource", """{"avid":"WDG-404"}""")).Is(404);
        (await t.Client.SendAsync(HttpMethod.Post, "/resource", """{"avid":"WDG-003"}""")).Is(201);
        await t.App.ResourceAsync("WDG-004", r => { r.OriginalTitle = ""; r.Source = "Jable"; r.M3u8 = "https://cdn.example/wdg-004/index.m3u8"; });
        t.Script.Metadata["WDG-004"] = new MetadataPlan.NotFound();

        // WDG-003 is resumed once (MaxAutoRepairs 1) and fails again; WDG-004 gets a lifecycle, whose metadata step finds nothing.
        await t.WaitAsync(async () => t.Instance("WDG-003") is { RepairAttempts: 1, CurrentState: "Failed" }
            && (await t.App.WithDbAsync(db => db.ResourceLifecycles.AnyAsync(x => x.Avid == "WDG-004" && x.CurrentState == "Ready"))),
            "the automatic resumes to run out");
        var listed = (await t.Client.ApiGetAsync("/lifecycles/problems")).Is(200);
        var items = listed.Data.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("avid").GetString()!);
        Assert.Equal(["WDG-003", "WDG-004", "WDG-404"], items.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(LifecycleProblem.Failed, items["WDG-404"].GetProperty("kind").GetString());
        Assert.Equal(404, items["WDG-404"].GetProperty("failure_code").GetInt32());
        Assert.False(items["WDG-404"].GetProperty("auto_repairable").GetBoolean()); // the source's own answer
        Assert.False(items["WDG-003"].GetProperty("auto_repairable").GetBoolean()); // out of automatic resumes
        Assert.Equal(LifecycleProblem.NoMetadata, items["WDG-004"].GetProperty("kind").GetString());
        Assert.False(items["WDG-004"].GetProperty("auto_repairable").GetBoolean()); // its sites have nothing
        Assert.Equal(2, listed.Data.GetProperty("counts").GetProperty("failed").GetInt32());
        Assert.Single((await t.Client.ApiGetAsync("/lifecycles/problems?kind=no_metadata")).Is(200).Data.GetProperty("items").EnumerateArray());
        (await t.Client.ApiGetAsync("/lifecycles/problems?kind=nope")).Is(400);

        t.Script.Sources["WDG-404"] = new SourcePlan.Resolve();
        t.Script.Metadata.TryRemove("WDG-003", out _);
        var repair = (await t.Client.SendAsync(HttpMethod.Post, "/lifecycles/repair", """{"avids":["wdg-404","WDG-003"]}""")).Is(202);
        Assert.Equal(2, repair.Data.GetProperty("queued").GetInt32());

        await t.InStateAsync("WDG-404", m => m.Ready);
        await t.InStateAsync("WDG-003", m => m.Ready);
        Assert.NotNull(await t.App.FindAsync("WDG-404"));
        (await t.Client.SendAsync(HttpMethod.Post, "/lifecycles/repair", """{"avids":["not an avid"]}""")).Is(400);
        (await t.Client.SendAsync(HttpMethod.Post, "/lifecycles/repair", "{}")).Is(400);
    }
}
