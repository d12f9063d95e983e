using System.CommandLine;
using System.Text.Json;
using NasSav.Cli.Hosting;

namespace NasSav.Cli.Maintenance;

/// <summary>
/// <c>nassav jobs</c>: the maintenance jobs (<c>/maintenance/jobs</c>). <c>nassav jobs run NAME [--dry-run|--apply]
/// [--watch]</c> starts one and, with <c>--watch</c>, follows its <c>maintenance_progress</c> frames (and its run over
/// REST) until it ends. Exit 0 when the run succeeded, 1 when it failed or was cancelled, 2 when refused (unknown
/// job, already running), 3 on <c>--timeout</c>.
/// </summary>
public sealed class JobsCommand : ICliCommand
{
    private readonly Option<bool> _json = new("--json") { Description = "The API's data as JSON." };
    private readonly Argument<string> _name = new("name") { Description = "The job, e.g. check-all, backup-database, export-library." };
    private readonly Option<bool> _dryRun = new("--dry-run") { Description = "Report what it would change; change nothing." };
    private readonly Option<bool> _apply = new("--apply") { Description = "Apply repairs/changes (the job's configured mode otherwise)." };
    private readonly Option<bool> _watch = new("--watch", "-w") { Description = "Follow the run until it ends." };
    private readonly Option<double?> _timeout = new("--timeout") { Description = "Seconds to follow before giving up (the run goes on)." };

    public Command Create(CliContext cli)
    {
        var run = new Command("run", "Start a job now.") { _name, _dryRun, _apply, _watch, _timeout, _json };
        run.SetAction((r, ct) => RunAsync(cli, r, ct));
        var jobs = new Command("jobs", "List maintenance jobs, or run one (jobs run NAME).") { run, _json };
        jobs.SetAction((r, ct) => ListAsync(cli, r, ct));
        return jobs;
    }

    private async Task<int> ListAsync(CliContext cli, ParseResult r, CancellationToken ct)
    {
        if (cli.Host(r) is not { } host) return ExitCodes.Refused;
        var answer = await host.GetAsync("maintenance/jobs", ct);
        if (!answer.Ok || answer.Data.ValueKind != JsonValueKind.Array)
        {
            await cli.Err.WriteLineAsync(answer.Describe());
            return ExitCodes.Refused;
        }
        if (r.GetValue(_json)) { Render.Json(cli, answer.Data); return ExitCodes.Ok; }
        Render.Table(cli, ["job", "schedule", "mode", "next run", "last run", "description"], answer.Data.EnumerateArray().Select(j =>
        {
            var last = j.TryGetProperty("last_run", out var l) && l.ValueKind == JsonValueKind.Object
                ? $"{Render.Text(l, "status")} {Render.Time(l.GetProperty("started_at"))}"
                : "-";
            var cron = Render.Text(j, "enabled") == "yes" ? Render.Text(j, "cron") : "on demand";
            return (IReadOnlyList<string?>)
            [
                Render.Text(j, "name"), cron, Render.Text(j, "apply") == "yes" ? "apply" : "report",
                j.TryGetProperty("next_run", out var n) ? Render.Time(n) : "", Render.Text(j, "running") == "yes" ? "running now" : last,
                Render.Text(j, "description"),
            ];
        }));
        return ExitCodes.Ok;
    }

    private async Task<int> RunAsync(CliContext cli, ParseResult r, CancellationToken ct)
    {
        if (cli.Host(r) is not { } host) return ExitCodes.Refused;
        if (r.GetValue(_dryRun) && r.GetValue(_apply))
        {
            await cli.Err.WriteLineAsync("--dry-run and --apply contradict each other");
            return ExitCodes.Refused;
        }
        var name = r.GetValue(_name)!;
        var query = r.GetValue(_dryRun) ? "?dry_run=true" : r.GetValue(_apply) ? "?apply=true" : "";
        var watch = r.GetValue(_watch);
        var json = r.GetValue(_json);
        await using var feed = watch ? await TaskFeed.TryConnectAsync(host, cli.Err, ct) : null;
        var started = await host.PostAsync($"maintenance/jobs/{HostApi.Escape(name)}/run{query}", null, ct);
        if (!started.Ok || started.Data.ValueKind != JsonValueKind.Object)
        {
            await cli.Err.WriteLineAsync(started.Describe());
            return ExitCodes.Refused;
        }
        var id = started.Data.GetProperty("id").GetInt64();
        var mode = Render.Text(started.Data, "apply") == "yes" ? "apply" : "dry run";
        if (!watch)
        {
            if (json) Render.Json(cli, started.Data);
            else cli.Line($"started {name} run {id} ({mode}); follow it with: nassav jobs run ... --watch, or GET /nassav/api/maintenance/runs/{id}");
            return ExitCodes.Ok;
        }
        if (!json) cli.Line($"started {name} run {id} ({mode})");

        var view = new ProgressView(cli, quiet: json);
        var deadline = r.GetValue(_timeout) is { } seconds ? DateTimeOffset.UtcNow.AddSeconds(seconds) : (DateTimeOffset?)null;
        JsonElement run;
        try
        {
            var ended = await view.RunAsync(() => FollowAsync(host, feed, id, name, view, deadline, ct));
            if (ended is null)
            {
                await cli.Err.WriteLineAsync($"still running after --timeout; see GET /nassav/api/maintenance/runs/{id}");
                return ExitCodes.TimedOut;
            }
            run = ended.Value;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await cli.Err.WriteLineAsync($"stopped watching; run {id} of {name} goes on in the host");
            return ExitCodes.Interrupted;
        }
        var status = Render.Text(run, "status");
        if (json) Render.Json(cli, run);
        else
        {
            cli.Line($"{name} run {id} {status}: {Render.Text(run, "message")}");
            if (run.TryGetProperty("counts", out var counts) && counts.ValueKind == JsonValueKind.Object)
                cli.Line("  " + string.Join(", ", counts.EnumerateObject().Select(c => $"{c.Name} {Render.Text(c.Value)}")));
        }
        return status == "succeeded" ? ExitCodes.Ok : ExitCodes.Failed;
    }

    /// <summary>Until the run is no longer "running" (read over REST, the truth); frames only move the bar. Null on the deadline.</summary>
    private static async Task<JsonElement?> FollowAsync(HostApi host, TaskFeed? feed, long id, string name, ProgressView view, DateTimeOffset? deadline, CancellationToken ct)
    {
        var nextPoll = DateTimeOffset.MinValue;
        view.Update(name, "running");
        while (true)
        {
            if (deadline is { } d && DateTimeOffset.UtcNow >= d) return null;
            if (DateTimeOffset.UtcNow >= nextPoll)
            {
                var answer = await host.GetAsync($"maintenance/runs/{id}", ct);
                if (answer.Ok && answer.Data.ValueKind == JsonValueKind.Object && Render.Text(answer.Data, "status") is var status and not "running")
                {
                    view.Update(name, status, status == "succeeded" ? 100 : null, Render.Text(answer.Data, "message"), ended: true);
                    return answer.Data;
                }
                nextPoll = DateTimeOffset.UtcNow.AddSeconds(1);
            }
            if (await TaskFeed.NextAsync(feed, TimeSpan.FromMilliseconds(500), ct) is not { } frame) continue;
            if (frame.Type != "maintenance_progress" || Render.Number(frame.Data, "run_id") != id) continue;
            var done = Render.Number(frame.Data, "done") ?? 0;
            var total = Render.Number(frame.Data, "total") is > 0 and var tv ? tv : (double?)null;
            view.Update(name, "running", total is { } t ? Math.Min(100, 100 * done / t) : null, Render.Text(frame.Data, "message"));
        }
    }
}
