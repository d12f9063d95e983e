using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NasSav.Maintenance.Data;

namespace NasSav.Maintenance.Scheduling;

/// <summary>
/// Fires each enabled job at its cron times (every instance fires; the slot claim lets one run) and prunes
/// old runs hourly. Slots missed while no instance ran are skipped, not caught up.
/// </summary>
public sealed class JobScheduler(
    JobCatalog catalog,
    JobRunner runner,
    IServiceScopeFactory scopes,
    TimeProvider clock,
    IOptions<MaintenanceOptions> options,
    ILogger<JobScheduler> logger) : BackgroundService
{
    /// <summary>Wake at least this often, so a changed wall clock is noticed.</summary>
    private static readonly TimeSpan MaxSleep = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PruneEvery = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var next = new Dictionary<string, DateTimeOffset>();
        var start = clock.GetUtcNow();
        foreach (var job in catalog.All.Where(j => j.Enabled && j.Schedule is not null))
            if (job.Schedule!.NextAfter(start) is { } first) next[job.Job.Name] = first;
        var nextPrune = start;

        while (!stoppingToken.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            foreach (var (name, due) in next.ToList())
            {
                if (due > now) continue;
                var job = catalog.Find(name)!;
                _ = FireAsync(name, due, stoppingToken);
                if (job.Schedule!.NextAfter(now) is { } following) next[name] = following;
                else next.Remove(name);
            }
            if (now >= nextPrune)
            {
                await PruneAsync(stoppingToken);
                nextPrune = now + PruneEvery;
            }
            var wake = next.Count == 0 ? now + MaxSleep : next.Values.Min();
            var sleep = wake - clock.GetUtcNow();
            if (sleep > MaxSleep) sleep = MaxSleep;
            if (sleep < TimeSpan.FromMilliseconds(10)) sleep = TimeSpan.FromMilliseconds(10);
            try { await Task.Delay(sleep, clock, stoppingToken); }
            catch (OperationCanceledException) { break; }
        }
    }

    private async Task FireAsync(string name, DateTimeOffset slot, CancellationToken ct)
    {
        try
        {
            var result = await runner.TryStartAsync(name, "schedule", null, slot, ct);
            if (result.Outcome != JobRunner.StartOutcome.Started)
                logger.LogInformation("Scheduled run of {Job} for {Slot} skipped: {Outcome}", name, slot, result.Outcome);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Could not start the scheduled run of {Job}", name);
        }
    }

    /// <summary>Deletes ended runs older than RunRetentionDays; returns how many.</summary>
    public async Task<int> PruneAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<MaintenanceDbContext>();
            var cutoff = clock.GetUtcNow().UtcDateTime - TimeSpan.FromDays(options.Value.RunRetentionDays);
            var pruned = await db.Runs.Where(r => r.StartedAt < cutoff && r.Status != RunStatus.Running).ExecuteDeleteAsync(ct);
            if (pruned > 0) logger.LogInformation("Pruned {Count} maintenance run(s) older than {Days} days", pruned, options.Value.RunRetentionDays);
            return pruned;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Pruning old maintenance runs failed");
            return 0;
        }
    }
}
