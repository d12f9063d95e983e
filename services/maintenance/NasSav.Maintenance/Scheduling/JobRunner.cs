using System.Collections.Concurrent;
using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NasSav.Contracts.Maintenance;
using NasSav.Maintenance.Data;
using NasSav.ServiceDefaults.Configuration;

namespace NasSav.Maintenance.Scheduling;

/// <summary>
/// Starts runs: claims a row (the unique index on running runs makes it one at a time cluster-wide), runs
/// the job in the background with a heartbeat, records the outcome, counts, report and log, and publishes
/// progress. A run whose instance died stops heart-beating and is abandoned by the next claim.
/// </summary>
public sealed class JobRunner(
    IServiceScopeFactory scopes,
    JobCatalog catalog,
    IBus bus,
    TimeProvider clock,
    IOptions<MaintenanceOptions> options,
    IOptions<DataOptions> data,
    MaintenanceMetrics metrics,
    ILogger<JobRunner> logger) : IHostedService
{
    public static readonly JsonSerializerOptions ReportJson = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(500);
    private readonly ConcurrentDictionary<long, (Task Task, CancellationTokenSource Cts)> _running = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly string _owner = $"{Environment.MachineName}/{Environment.ProcessId}";

    public enum StartOutcome { Started, UnknownJob, AlreadyRunning, SlotTaken }

    public sealed record StartResult(StartOutcome Outcome, JobRun? Run = null);

    /// <param name="apply">null: the job's configured mode.</param>
    /// <param name="slot">The cron slot of a scheduled run (null on demand).</param>
    public async Task<StartResult> TryStartAsync(string name, string trigger, bool? apply, DateTimeOffset? slot, CancellationToken ct = default)
    {
        var job = catalog.Find(name);
        if (job is null) return new StartResult(StartOutcome.UnknownJob);
        var now = Now();
        var run = new JobRun
        {
            Job = job.Job.Name, Trigger = trigger, Apply = apply ?? job.Apply, Status = RunStatus.Running,
            ScheduledFor = slot?.UtcDateTime, StartedAt = now, HeartbeatAt = now, Owner = _owner,
        };
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MaintenanceDbContext>();
            var stale = now - TimeSpan.FromSeconds(options.Value.StaleAfterSeconds);
            var abandoned = await db.Runs
                .Where(r => r.Job == run.Job && r.Status == RunStatus.Running && r.HeartbeatAt < stale)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(r => r.Status, RunStatus.Abandoned)
                    .SetProperty(r => r.EndedAt, now)
                    .SetProperty(r => r.Message, "no heartbeat: its instance stopped"), ct);
            if (abandoned > 0) logger.LogWarning("Abandoned {Count} run(s) of {Job} whose instance stopped heart-beating", abandoned, run.Job);
            if (slot is not null && await db.Runs.AnyAsync(r => r.Job == run.Job && r.ScheduledFor == run.ScheduledFor, ct))
                return new StartResult(StartOutcome.SlotTaken);
            // The unique indexes decide races; these reads only spare the usual case a failed INSERT (logged as an error by EF).
            if (await db.Runs.AnyAsync(r => r.Job == run.Job && r.Status == RunStatus.Running, ct))
                return new StartResult(StartOutcome.AlreadyRunning);
            db.Runs.Add(run);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another instance (or request) holds the running claim, or took this slot first.
                var running = await db.Runs.AsNoTracking().AnyAsync(r => r.Job == run.Job && r.Status == RunStatus.Running, ct);
                return new StartResult(running ? StartOutcome.AlreadyRunning : StartOutcome.SlotTaken);
            }
        }

        var cts = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        var task = Task.Run(() => ExecuteAsync(job, run, cts.Token), CancellationToken.None);
        _running[run.Id] = (task, cts);
        _ = task.ContinueWith(_ => { if (_running.TryRemove(run.Id, out var r)) r.Cts.Dispose(); }, TaskScheduler.Default);
        return new StartResult(StartOutcome.Started, run);
    }

    /// <summary>Asks a run of this instance to stop; false when it is not running here.</summary>
    public bool Cancel(long runId)
    {
        if (!_running.TryGetValue(runId, out var r) || r.Task.IsCompleted) return false;
        try { r.Cts.Cancel(); }
        catch (ObjectDisposedException) { return false; } // ended meanwhile
        return true;
    }

    /// <summary>Completes when the run (started by this instance) has ended and been recorded.</summary>
    public Task WhenEnded(long runId) => _running.TryGetValue(runId, out var r) ? r.Task : Task.CompletedTask;

    private async Task ExecuteAsync(ScheduledJob job, JobRun run, CancellationToken ct)
    {
        var throttle = new ProgressThrottle(ProgressInterval, clock);
        JobProgress? last = null;
        void OnProgress(JobProgress p)
        {
            last = p;
            if (throttle.ShouldSend()) Publish(run, RunStatus.Running, p);
        }
        var context = new JobContext(run.Id, run.Job, run.Apply, OnProgress, ct);
        using var heartbeat = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.HeartbeatSeconds));
        using var heartbeatStop = new CancellationTokenSource();
        var beating = HeartbeatAsync(run.Id, heartbeat, heartbeatStop.Token);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        string status;
        string? message;
        logger.LogInformation("Run {RunId} of {Job} started ({Trigger}, {Mode})", run.Id, run.Job, run.Trigger, run.Apply ? "apply" : "dry run");
        Publish(run, RunStatus.Running, new JobProgress(0, null, 0, null, "started"));
        try
        {
            await job.Job.RunAsync(context);
            status = RunStatus.Succeeded;
            message = context.Summary;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            status = RunStatus.Cancelled;
            message = "cancelled";
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Run {RunId} of {Job} failed", run.Id, run.Job);
            status = RunStatus.Failed;
            message = ex.Message;
            context.Log($"failed: {ex.Message}");
        }
        await heartbeatStop.CancelAsync();
        await beating;
        metrics.Ended(run.Job, run.Trigger, status, System.Diagnostics.Stopwatch.GetElapsedTime(started));

        var report = context.Report is null ? null : JsonSerializer.Serialize(context.Report, ReportJson);
        var counts = JsonSerializer.Serialize(context.Counts, ReportJson);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<MaintenanceDbContext>();
            var end = Now();
            var msg = message is { Length: > 2000 } ? message[..2000] : message;
            var log = context.LogText;
            await db.Runs.Where(r => r.Id == run.Id).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, status)
                .SetProperty(r => r.EndedAt, end)
                .SetProperty(r => r.HeartbeatAt, end)
                .SetProperty(r => r.Message, msg)
                .SetProperty(r => r.Counts, counts)
                .SetProperty(r => r.Report, report)
                .SetProperty(r => r.Log, log), CancellationToken.None);
            if (report is not null) await WriteReportFileAsync(run.Job, report);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Could not record the end of run {RunId} of {Job}", run.Id, run.Job);
        }
        logger.LogInformation("Run {RunId} of {Job} ended: {Status} {Message}", run.Id, run.Job, status, message);
        Publish(run, status, last ?? new JobProgress(0, null, 0, null, null), message);
    }

    private async Task HeartbeatAsync(long runId, PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var db = scope.ServiceProvider.GetRequiredService<MaintenanceDbContext>();
                    var now = Now();
                    await db.Runs.Where(r => r.Id == runId && r.Status == RunStatus.Running)
                        .ExecuteUpdateAsync(s => s.SetProperty(r => r.HeartbeatAt, now), ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Heartbeat of run {RunId} failed", runId);
                }
            }
        }
        catch (OperationCanceledException) { }
    }

    private async Task WriteReportFileAsync(string job, string report)
    {
        var folder = options.Value.ResolvedReportFolder(data.Value);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{job}_report.json");
        var temp = path + ".partial";
        await File.WriteAllTextAsync(temp, report);
        File.Move(temp, path, overwrite: true);
    }

    private void Publish(JobRun run, string status, JobProgress p, string? message = null)
    {
        // Straight to the bus, never through an outbox: clients should see progress while the job runs.
        var progress = new MaintenanceProgress
        {
            RunId = run.Id, Job = run.Job, Status = status, Done = p.Done, Total = p.Total, Bytes = p.Bytes,
            TotalBytes = p.TotalBytes, Message = message ?? p.Message, At = clock.GetUtcNow(),
        };
        _ = PublishAsync(progress);
    }

    private async Task PublishAsync(MaintenanceProgress progress)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await bus.Publish(progress, timeout.Token);
        }
        catch (Exception ex)
        {
            logger.LogDebug(ex, "Could not publish the progress of run {RunId}", progress.RunId);
        }
    }

    /// <summary>Microsecond precision: what PostgreSQL keeps, so a value read back equals the one written.</summary>
    private DateTime Now()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - now.Ticks % 10, DateTimeKind.Utc);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        var tasks = _running.Values.Select(r => r.Task).ToArray();
        await Task.WhenAny(Task.WhenAll(tasks), Task.Delay(Timeout.Infinite, cancellationToken));
    }
}

/// <summary>At most one send per interval; the final state is always sent separately.</summary>
internal sealed class ProgressThrottle(TimeSpan interval, TimeProvider clock)
{
    private long _next;

    public bool ShouldSend()
    {
        var now = clock.GetTimestamp();
        var next = Interlocked.Read(ref _next);
        if (now < next) return false;
        return Interlocked.CompareExchange(ref _next, now + (long)(interval.TotalSeconds * clock.TimestampFrequency), next) == next;
    }
}
