using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NasSav.Maintenance.Data;
using NasSav.Maintenance.Scheduling;
using NasSav.Maintenance.Tests.Support;
using NasSav.Testing;

namespace NasSav.Maintenance.Tests.Scheduling;

public sealed class SchedulerTests
{
    private static readonly Dictionary<string, string?> Tokyo = new()
    {
        ["Maintenance:Jobs:backup-avid-list:Cron"] = "0 3 * * *",
        ["Maintenance:Jobs:backup-avid-list:TimeZone"] = "Asia/Tokyo",
        ["Maintenance:HeartbeatSeconds"] = "1",
        // Long enough that a heartbeat written by the test is still fresh on a loaded machine when the next request comes;
        // short enough that the minute-old one the test writes next is stale.
        ["Maintenance:StaleAfterSeconds"] = "30",
    };

    [Theory, BothDatabases]
    public async Task Jobs_list_their_cron_time_zone_and_next_run_in_that_zone(DbKind kind)
    {
        await using var app = await MaintenanceApp.StartAsync(kind, Tokyo);
        var jobs = (await app.Http.GetFromJsonAsync<JsonElement>("/nassav/api/maintenance/jobs")).GetProperty("data");
        var names = jobs.EnumerateArray().Select(j => j.GetProperty("name").GetString()).ToList();
        Assert.Contains("backup-database", names);
        Assert.Contains("test-gate", names);
        var avids = jobs.EnumerateArray().Single(j => j.GetProperty("name").GetString() == "backup-avid-list");
        Assert.Equal("0 3 * * *", avids.GetProperty("cron").GetString());
        Assert.True(avids.GetProperty("enabled").GetBoolean());
        var next = avids.GetProperty("next_run").GetDateTimeOffset();
        // 03:00 in Tokyo (UTC+9, no DST) is 18:00 UTC.
        Assert.Equal(18, next.ToUniversalTime().Hour);
        Assert.Equal(0, next.ToUniversalTime().Minute);
        Assert.True(next > DateTimeOffset.UtcNow && next <= DateTimeOffset.UtcNow.AddDays(1));
        var disabled = jobs.EnumerateArray().Single(j => j.GetProperty("name").GetString() == "backup-database");
        Assert.False(disabled.GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, disabled.GetProperty("next_run").ValueKind);
    }

    [Theory, BothDatabases]
    public async Task A_run_now_is_recorded_with_outcome_counts_report_and_log_and_shows_as_last_run(DbKind kind)
    {
        await using var app = await MaintenanceApp.StartAsync(kind, Tokyo);
        app.Gate.Gate.SetResult();
        var run = await app.RunJobAsync("test-gate", apply: false);
        Assert.Equal("manual", run.GetProperty("trigger").GetString());
        Assert.False(run.GetProperty("apply").GetBoolean());
        Assert.Equal("gate opened", run.GetProperty("message").GetString());
        Assert.True(run.GetProperty("ended_at").GetDateTimeOffset() >= run.GetProperty("started_at").GetDateTimeOffset());
        Assert.True(run.GetProperty("counts").TryGetProperty("ticks", out _));
        var report = await app.ReportAsync(run.GetProperty("id").GetInt64());
        Assert.False(report.GetProperty("apply").GetBoolean());

        var job = (await app.Http.GetFromJsonAsync<JsonElement>("/nassav/api/maintenance/jobs/test-gate")).GetProperty("data");
        Assert.Equal(run.GetProperty("id").GetInt64(), job.GetProperty("last_run").GetProperty("id").GetInt64());
        var last = (await app.Http.GetFromJsonAsync<JsonElement>("/nassav/api/maintenance/jobs/test-gate/report")).GetProperty("data");
        Assert.Equal(run.GetProperty("id").GetInt64(), last.GetProperty("run_id").GetInt64());
        var history = await app.Http.GetFromJsonAsync<JsonElement>("/nassav/api/maintenance/runs?job=test-gate");
        Assert.Equal(1, history.GetProperty("pagination").GetProperty("total").GetInt32());
        Assert.True(File.Exists(Path.Combine(app.DataRoot, "reports", "test-gate_report.json")));
    }

    [Theory, BothDatabases]
    public async Task A_failing_job_is_recorded_as_failed_with_its_reason(DbKind kind)
    {
        await using var app = await MaintenanceApp.StartAsync(kind);
        app.Gate.Throw = true;
        app.Gate.Gate.SetResult();
        var run = await app.RunJobAsync("test-gate", expectStatus: "failed");
        Assert.Equal("the gate job was told to fail", run.GetProperty("message").GetString());
    }

    [Theory, BothDatabases]
    public async Task Only_one_run_of_a_job_at_a_time_and_the_claim_is_in_the_database(DbKind kind)
    {
        await using var app = await MaintenanceApp.StartAsync(kind, Tokyo);
        using var first = await app.Http.PostAsync("/nassav/api/maintenance/jobs/test-gate/run", null);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        await app.Gate.Entered.Task.WaitAsync(MaintenanceApp.Patience);
        using var second = await app.Http.PostAsync("/nassav/api/maintenance/jobs/test-gate/run", null);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("正在运行", await second.Content.ReadAsStringAsync());

        // Another instance's runner (its own in-process state, the same database) is refused too.
        var otherRunner = ActivatorUtilities.CreateInstance<JobRunner>(app.Services);
        var other = await otherRunner.TryStartAsync("test-gate", "manual", null, null);
        Assert.Equal(JobRunner.StartOutcome.AlreadyRunning, other.Outcome);
        // Two claims racing past that check: the database's unique index refuses the second.
        await Assert.ThrowsAsync<DbUpdateException>(() => app.RunsAsync(async db =>
        {
            db.Runs.Add(new JobRun { Job = "test-gate", Trigger = "manual", Owner = "racer/1", StartedAt = DateTime.UtcNow, HeartbeatAt = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        }));

        app.Gate.Gate.SetResult();
        await Wait.UntilAsync(() => app.RunsAsync(db => db.Runs.AllAsync(r => r.Status != RunStatus.Running)), MaintenanceApp.Patience, "the run to end");
        Assert.Equal(1, app.Gate.Runs);
    }

    [Theory, BothDatabases]
    public async Task A_run_whose_instance_stopped_heart_beating_is_abandoned_and_the_job_runs_again(DbKind kind)
    {
        await using var app = await MaintenanceApp.StartAsync(kind, Tokyo);
        var crashed = await app.RunsAsync(async db =>
        {
            var fresh = DateTime.UtcNow;
            var run = new JobRun { Job = "test-gate", Trigger = "manual", Owner = "crashed/1", StartedAt = fresh.AddMinutes(-10), HeartbeatAt = fresh };
            db.Runs.Add(run);
            await db.SaveChangesAsync();
            return run.Id;
        });
        // Fresh heartbeat: still someone's run.
        using (var refused = await app.Http.PostAsync("/nassav/api/maintenance/jobs/test-gate/run", null))
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);

        await app.RunsAsync(db => db.Runs.Where(r => r.Id == crashed)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.HeartbeatAt, DateTime.UtcNow.AddMinutes(-1))));
        app.Gate.Gate.SetResult();
        await app.RunJobAsync("test-gate");
        var old = await app.RunsAsync(db => db.Runs.AsNoTracking().SingleAsync(r => r.Id == crashed));
        Assert.Equal(RunStatus.Abandoned, old.Status);
        Assert.NotNull(old.EndedAt);
    }

    [Fact]
    public async Task A_running_run_can_be_cancelled_and_is_recorded_as_cancelled()
    {
        await using var app = await MaintenanceApp.StartAsync(DbKind.Sqlite);
        using var start = await app.Http.PostAsync("/nassav/api/maintenance/jobs/test-gate/run", null);
        var id = JsonDocument.Parse(await start.Content.ReadAsStringAsync()).RootElement.GetProperty("data").GetProperty("id").GetInt64();
        await app.Gate.Entered.Task.WaitAsync(MaintenanceApp.Patience);
        using var cancel = await app.Http.PostAsync($"/nassav/api/maintenance/runs/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        await app.Services.GetRequiredService<JobRunner>().WhenEnded(id).WaitAsync(MaintenanceApp.Patience);
        Assert.Equal(RunStatus.Cancelled, await app.RunsAsync(async db => (await db.Runs.AsNoTracking().SingleAsync(r => r.Id == id)).Status));
        using var again = await app.Http.PostAsync($"/nassav/api/maintenance/runs/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Theory, BothDatabases]
    public async Task A_running_job_beats_its_heartbeat(DbKind kind)
    {
        await using var app = await MaintenanceApp.StartAsync(kind, Tokyo);
        using var start = await app.Http.PostAsync("/nassav/api/maintenance/jobs/test-gate/run", null);
        await app.Gate.Entered.Task.WaitAsync(MaintenanceApp.Patience);
        var first = await app.RunsAsync(db => db.Runs.AsNoTracking().SingleAsync());
        await Wait.UntilAsync(() => app.RunsAsync(async db => (await db.Runs.AsNoTracking().SingleAsync()).HeartbeatAt > first.HeartbeatAt),
            MaintenanceApp.Patience, "the heartbeat to move");
        app.Gate.Gate.SetResult();
    }

    [Theory, BothDatabases]
    public async Task A_cron_slot_runs_once_even_when_two_instances_fire_it_one_after_the_other(DbKind kind)
    {
        await using var app = await MaintenanceApp.StartAsync(kind, Tokyo);
        app.Gate.Gate.SetResult();
        var runner = app.Services.GetRequiredService<JobRunner>();
        var otherRunner = ActivatorUtilities.CreateInstance<JobRunner>(app.Services);
        var slot = new DateTimeOffset(2026, 11, 30, 18, 0, 0, TimeSpan.Zero);
        var first = await runner.TryStartAsync("test-gate", "schedule", null, slot);
        Assert.Equal(JobRunner.StartOutcome.Started, first.Outcome);
        await runner.WhenEnded(first.Run!.Id);
        var again = await otherRunner.TryStartAsync("test-gate", "schedule", null, slot);
        Assert.Equal(JobRunner.StartOutcome.SlotTaken, again.Outcome);
        var next = await otherRunner.TryStartAsync("test-gate", "schedule", null, slot.AddDays(1));
        Assert.Equal(JobRunner.StartOutcome.Started, next.Outcome);
        await otherRunner.WhenEnded(next.Run!.Id);
        Assert.Equal(2, app.Gate.Runs);
    }

    [Theory, BothDatabases]
    public async Task Runs_older_than_the_retention_are_pruned(DbKind kind)
    {
        await using var app = await MaintenanceApp.StartAsync(kind, new Dictionary<string, string?> { ["Maintenance:RunRetentionDays"] = "7" });
        await app.RunsAsync(async db =>
        {
            var now = DateTime.UtcNow;
            db.Runs.Add(new JobRun { Job = "test-gate", Trigger = "manual", Status = RunStatus.Succeeded, StartedAt = now.AddDays(-8), HeartbeatAt = now.AddDays(-8), EndedAt = now.AddDays(-8) });
            db.Runs.Add(new JobRun { Job = "test-gate", Trigger = "manual", Status = RunStatus.Succeeded, StartedAt = now.AddDays(-6), HeartbeatAt = now.AddDays(-6), EndedAt = now.AddDays(-6) });
            await db.SaveChangesAsync();
            return 0;
        });
        // The scheduler also prunes when it starts, concurrently with this test: which of the two calls removes
        // the old run varies, so the test checks what is left, not who removed it.
        await app.Services.GetRequiredService<JobScheduler>().PruneAsync(CancellationToken.None);
        var left = await app.RunsAsync(db => db.Runs.Select(r => r.StartedAt).ToListAsync());
        Assert.True(DateTime.UtcNow - Assert.Single(left) < TimeSpan.FromDays(7), "the 6-day-old run is kept, the 8-day-old one pruned");
    }

    [Theory, BothDatabases]
    public async Task A_scheduled_job_fires_by_its_cron(DbKind kind)
    {
        // Every second (Quartz's 6-field form): the scheduler must start it without any request.
        await using var app = await MaintenanceApp.StartAsync(kind, new Dictionary<string, string?>
        {
            ["Maintenance:Jobs:test-gate:Cron"] = "* * * * * ?",
            ["Maintenance:Jobs:test-gate:TimeZone"] = "UTC",
        });
        app.Gate.Gate.SetResult();
        await Wait.UntilAsync(() => app.RunsAsync(db => db.Runs.AnyAsync(r => r.Trigger == "schedule" && r.Status == RunStatus.Succeeded && r.ScheduledFor != null)),
            MaintenanceApp.Patience, "a scheduled run");
    }

    [Theory]
    [InlineData("/nassav/api/maintenance/jobs/nope/run", "POST", 404)]
    [InlineData("/nassav/api/maintenance/jobs/nope", "GET", 404)]
    [InlineData("/nassav/api/maintenance/jobs/test-gate/run?dry_run=maybe", "POST", 400)]
    [InlineData("/nassav/api/maintenance/jobs/test-gate/run?apply=true&dry_run=true", "POST", 400)]
    [InlineData("/nassav/api/maintenance/jobs/test-gate/report", "GET", 404)]
    [InlineData("/nassav/api/maintenance/runs?page=0", "GET", 400)]
    [InlineData("/nassav/api/maintenance/runs?page_size=x", "GET", 400)]
    [InlineData("/nassav/api/maintenance/runs?status=odd", "GET", 400)]
    [InlineData("/nassav/api/maintenance/runs?job=nope", "GET", 404)]
    [InlineData("/nassav/api/maintenance/runs/abc", "GET", 400)]
    [InlineData("/nassav/api/maintenance/runs/99999", "GET", 404)]
    [InlineData("/nassav/api/maintenance/runs/99999/report", "GET", 404)]
    public async Task Bad_input_gets_the_envelope_with_the_right_status(string path, string method, int status)
    {
        await using var app = await MaintenanceApp.StartAsync(DbKind.Sqlite);
        using var response = await app.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.Equal(status, (int)response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(status, body.GetProperty("code").GetInt32());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()));
    }

    [Theory]
    [InlineData("30 1 * * *", "0 30 1 * * ?")]
    [InlineData("0 2 * * 1", "0 0 2 ? * 1")]
    [InlineData("0 2 15 * *", "0 0 2 15 * ?")]
    [InlineData("0 30 1 * * ?", "0 30 1 * * ?")]
    public void Classic_five_field_cron_becomes_quartz_form(string cron, string quartz) =>
        Assert.Equal(quartz, CronSchedule.ToQuartz(cron));

    [Fact]
    public void A_bad_cron_or_zone_is_named_at_start()
    {
        var errors = MaintenanceOptions.Validate(new MaintenanceOptions
        {
            Jobs = new(StringComparer.OrdinalIgnoreCase)
            {
                ["a"] = new JobScheduleOptions { Cron = "61 * * * *" },
                ["b"] = new JobScheduleOptions { Cron = "0 1 * * *", TimeZone = "Mars/Olympus" },
            },
        }).ToList();
        Assert.Contains(errors, e => e!.StartsWith("Jobs:a:Cron '61 * * * *'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e!.Contains("Mars/Olympus", StringComparison.Ordinal));
    }
}
