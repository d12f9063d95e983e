using NasSav.Contracts.Maintenance;
using NasSav.Maintenance.Library;
using NasSav.Maintenance.Scheduling;
using NasSav.Media.Storage;

namespace NasSav.Maintenance.Consistency;

/// <summary>
/// A job made of checks. The report keeps NASSAV's field names (check_time, timestamp, apply_changes, total,
/// total_resources, issues as counts by kind, fixed, fix_failed, details) and adds ours (checks, per-issue action,
/// actor counts). Scheduled runs repair (as NASSAV's beat schedule); POST .../run?dry_run=true only reports.
/// </summary>
public sealed class ConsistencyJob(string name, string description, string? cron, IReadOnlyList<IConsistencyCheck> checks,
    LibraryClient library, IMediaStore store, TimeProvider clock) : IMaintenanceJob
{
    public string Name => name;
    public string Description => description;
    public string? DefaultCron => cron;

    public async Task RunAsync(JobContext job)
    {
        var started = clock.GetUtcNow();
        var needsActors = checks.Any(c => c is AvatarCheck or OrphanFilesCheck);
        job.Progress(0, checks.Count, message: "reading the library");
        var resources = await library.AllResourcesAsync(job.Cancellation);
        IReadOnlyList<InventoryActor> actors = needsActors ? await library.AllActorsAsync(job.Cancellation) : [];
        var context = new CheckContext(job, library, store, resources, actors);
        for (var i = 0; i < checks.Count; i++)
        {
            job.Progress(i, checks.Count, message: $"checking {checks[i].Name}");
            await checks[i].RunAsync(context);
        }
        job.Progress(checks.Count, checks.Count, message: "done");

        var issues = context.Issues;
        var counts = job.Counts;
        job.Report = new
        {
            check_time = started,
            timestamp = started,
            apply_changes = job.Apply,
            checks = checks.Select(c => c.Name).ToList(),
            total = resources.Count,
            total_resources = resources.Count,
            total_actors = actors.Count,
            issue_count = issues.Count,
            issues = issues.GroupBy(x => x.Kind).ToDictionary(g => g.Key, g => g.Count()),
            @fixed = job.Apply ? issues.Where(x => x.Action == "fixed").GroupBy(x => x.Kind).ToDictionary(g => g.Key, g => g.Count()) : null,
            fix_failed = issues.Count(x => x.Action == "fix_failed"),
            no_url = counts.GetValueOrDefault("no_url"),
            placeholder = counts.GetValueOrDefault("placeholder"),
            details = issues,
        };
        job.Summary = issues.Count == 0
            ? $"{resources.Count} resources, {actors.Count} actors: no issues"
            : $"{issues.Count} issue(s){(job.Apply ? $", {issues.Count(x => x.Action == "fixed")} fixed, {issues.Count(x => x.Action == "fix_failed")} failed" : " (dry run)")}";
    }
}
