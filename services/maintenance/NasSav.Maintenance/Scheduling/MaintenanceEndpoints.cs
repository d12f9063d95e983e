using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using NasSav.Maintenance.Data;
using NasSav.ServiceDefaults.Http;

namespace NasSav.Maintenance.Scheduling;

/// <summary>/nassav/api/maintenance/: jobs with next and last run, run now, run history, a run's report.</summary>
public static class MaintenanceEndpoints
{
    public const string Prefix = "/nassav/api/maintenance";

    public static IEndpointRouteBuilder MapMaintenanceEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(Prefix).WithTags("Maintenance");

        group.MapGet("/jobs", async (JobCatalog catalog, MaintenanceDbContext db, TimeProvider clock, CancellationToken ct) =>
        {
            var now = clock.GetUtcNow();
            var list = new List<object>();
            foreach (var job in catalog.All.OrderBy(j => j.Job.Name, StringComparer.Ordinal))
                list.Add(await JobShapeAsync(job, db, now, ct));
            return ApiResults.Ok(list);
        });

        group.MapGet("/jobs/{name}", async (string name, JobCatalog catalog, MaintenanceDbContext db, TimeProvider clock, CancellationToken ct) =>
            catalog.Find(name) is { } job
                ? ApiResults.Ok(await JobShapeAsync(job, db, clock.GetUtcNow(), ct))
                : UnknownJob(name));

        group.MapPost("/jobs/{name}/run", async (string name, HttpRequest request, JobRunner runner, CancellationToken ct) =>
        {
            bool? apply = null;
            if (request.Query.TryGetValue("dry_run", out var dry))
            {
                if (!bool.TryParse(dry, out var isDry)) return ApiResults.Error(400, "dry_run 参数无效，应为 true 或 false");
                apply = !isDry;
            }
            if (request.Query.TryGetValue("apply", out var rawApply))
            {
                if (!bool.TryParse(rawApply, out var a)) return ApiResults.Error(400, "apply 参数无效，应为 true 或 false");
                if (apply is not null && apply != a) return ApiResults.Error(400, "apply 与 dry_run 矛盾");
                apply = a;
            }
            var result = await runner.TryStartAsync(name, "manual", apply, null, ct);
            return result.Outcome switch
            {
                JobRunner.StartOutcome.Started => ApiResults.Envelope(202, "任务已开始", RunShape(result.Run!, withDetails: false)),
                JobRunner.StartOutcome.UnknownJob => UnknownJob(name),
                _ => ApiResults.Error(409, $"任务 {name} 正在运行"),
            };
        });

        group.MapGet("/jobs/{name}/report", async (string name, JobCatalog catalog, MaintenanceDbContext db, CancellationToken ct) =>
        {
            if (catalog.Find(name) is null) return UnknownJob(name);
            var run = await db.Runs.AsNoTracking()
                .Where(r => r.Job == name && r.Report != null)
                .OrderByDescending(r => r.Id).FirstOrDefaultAsync(ct);
            return run is null ? ApiResults.Error(404, $"任务 {name} 还没有报告") : ReportResult(run);
        });

        group.MapGet("/runs", async (HttpRequest request, JobCatalog catalog, MaintenanceDbContext db, CancellationToken ct) =>
        {
            if (!TryInt(request, "page", 1, out var page) || page < 1) return ApiResults.Error(400, "page 参数无效");
            if (!TryInt(request, "page_size", 20, out var size) || size is < 1 or > 200) return ApiResults.Error(400, "page_size 参数无效 (1-200)");
            var query = db.Runs.AsNoTracking();
            string? job = request.Query["job"];
            if (!string.IsNullOrEmpty(job))
            {
                if (catalog.Find(job) is null) return UnknownJob(job);
                query = query.Where(r => r.Job == job);
            }
            string? status = request.Query["status"];
            if (!string.IsNullOrEmpty(status))
            {
                if (status is not (RunStatus.Running or RunStatus.Succeeded or RunStatus.Failed or RunStatus.Cancelled or RunStatus.Abandoned))
                    return ApiResults.Error(400, "status 参数无效 (running, succeeded, failed, cancelled, abandoned)");
                query = query.Where(r => r.Status == status);
            }
            var total = await query.CountAsync(ct);
            var rows = await query.OrderByDescending(r => r.Id).Skip((page - 1) * size).Take(size).ToListAsync(ct);
            return ApiResults.Paged(rows.Select(r => RunShape(r, withDetails: false)).ToList(),
                new Pagination(total, page, size, Math.Max(1, (total + size - 1) / size)));
        });

        group.MapGet("/runs/{id}", async (string id, MaintenanceDbContext db, CancellationToken ct) =>
        {
            if (!long.TryParse(id, out var runId)) return ApiResults.Error(400, "run id 无效");
            var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, ct);
            return run is null ? ApiResults.Error(404, $"运行记录 {runId} 不存在") : ApiResults.Ok(RunShape(run, withDetails: true));
        });

        group.MapGet("/runs/{id}/report", async (string id, MaintenanceDbContext db, CancellationToken ct) =>
        {
            if (!long.TryParse(id, out var runId)) return ApiResults.Error(400, "run id 无效");
            var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, ct);
            if (run is null) return ApiResults.Error(404, $"运行记录 {runId} 不存在");
            return run.Report is null ? ApiResults.Error(404, $"运行记录 {runId} 没有报告") : ReportResult(run);
        });

        group.MapPost("/runs/{id}/cancel", (string id, JobRunner runner) =>
        {
            if (!long.TryParse(id, out var runId)) return ApiResults.Error(400, "run id 无效");
            return runner.Cancel(runId) ? ApiResults.Envelope(202, "已请求取消") : ApiResults.Error(404, $"运行记录 {runId} 不在本实例运行");
        });
        return endpoints;
    }

    private static IResult UnknownJob(string name) => ApiResults.Error(404, $"任务 {name} 不存在");

    private static IResult ReportResult(JobRun run)
    {
        using var doc = JsonDocument.Parse(run.Report!);
        return ApiResults.Ok(new { run_id = run.Id, job = run.Job, ended_at = run.EndedAt, report = doc.RootElement.Clone() });
    }

    private static bool TryInt(HttpRequest request, string name, int fallback, out int value)
    {
        value = fallback;
        return !request.Query.TryGetValue(name, out var raw) || int.TryParse(raw, out value);
    }

    private static async Task<object> JobShapeAsync(ScheduledJob job, MaintenanceDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var last = await db.Runs.AsNoTracking().Where(r => r.Job == job.Job.Name).OrderByDescending(r => r.Id).FirstOrDefaultAsync(ct);
        var next = job.Enabled && job.Schedule is not null ? job.Schedule.NextAfter(now) : null;
        return new
        {
            name = job.Job.Name,
            description = job.Job.Description,
            cron = job.Schedule?.Expression,
            time_zone = job.TimeZone,
            enabled = job.Enabled && job.Schedule is not null,
            apply = job.Apply,
            running = last?.Status == RunStatus.Running,
            next_run = next,
            last_run = last is null ? null : RunShape(last, withDetails: false),
        };
    }

    private static object RunShape(JobRun r, bool withDetails)
    {
        JsonElement? counts = null;
        if (r.Counts is not null) { using var doc = JsonDocument.Parse(r.Counts); counts = doc.RootElement.Clone(); }
        return new
        {
            id = r.Id,
            job = r.Job,
            trigger = r.Trigger,
            apply = r.Apply,
            status = r.Status,
            scheduled_for = r.ScheduledFor is { } s ? DateTime.SpecifyKind(s, DateTimeKind.Utc) : (DateTime?)null,
            started_at = DateTime.SpecifyKind(r.StartedAt, DateTimeKind.Utc),
            ended_at = r.EndedAt is { } e ? DateTime.SpecifyKind(e, DateTimeKind.Utc) : (DateTime?)null,
            heartbeat_at = DateTime.SpecifyKind(r.HeartbeatAt, DateTimeKind.Utc),
            owner = r.Owner,
            message = r.Message,
            counts,
            has_report = r.Report is not null,
            log = withDetails ? r.Log : null,
        };
    }
}
