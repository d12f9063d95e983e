using System.CommandLine;
using System.Text.Json;
using NasSav.Cli.Hosting;

namespace NasSav.Cli.Downloads;

/// <summary>
/// <c>nassav download AVID…</c>: submits each AVID (<c>POST /downloads/{avid}</c>; one already queued or running is
/// followed, one already downloaded counts as done) and follows them on the task WebSocket with live progress bars
/// (percent, speed, ETA, phase) until each ends. The queue is also read over REST every few seconds, so a missed frame
/// or a dropped feed cannot leave the view waiting. Ctrl-C stops the view only; the downloads go on in the host.
/// Exit 0 when every AVID is downloaded, 1 when one failed, 3 on <c>--timeout</c>, 130 on Ctrl-C.
/// </summary>
public sealed class DownloadCommand : ICliCommand
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(3);

    private readonly Argument<string[]> _avids = new("avid") { Description = "AVIDs to download (- reads them from stdin).", Arity = ArgumentArity.ZeroOrMore };
    private readonly Option<string?> _file = new("--file", "-f") { Description = "A file of AVIDs (one or more a line, # comments; - for stdin)." };
    private readonly Option<bool> _noWait = new("--no-wait") { Description = "Submit and exit without following." };
    private readonly Option<double?> _timeout = new("--timeout") { Description = "Seconds to follow before giving up (the downloads go on)." };
    private readonly Option<bool> _json = new("--json") { Description = "One JSON event per line: submitted, started, progress, completed, failed." };

    public Command Create(CliContext cli)
    {
        var command = new Command("download", "Download titles in the host and follow their progress live.") { _avids, _file, _noWait, _timeout, _json };
        command.SetAction((r, ct) => RunAsync(cli, r, ct));
        return command;
    }

    private sealed class Tracked
    {
        public required string Avid;
        public string? TaskId;
        public string State = "queued";
        public bool Ended;
        public bool Succeeded;
        public string Message = "";
        public int GoneCount;
    }

    private async Task<int> RunAsync(CliContext cli, ParseResult r, CancellationToken ct)
    {
        if (cli.Host(r) is not { } host) return ExitCodes.Refused;
        if (AvidList.Required(cli, r.GetValue(_avids), r.GetValue(_file)) is not { } avids) return ExitCodes.Refused;
        var json = r.GetValue(_json);
        var noWait = r.GetValue(_noWait);
        var view = new ProgressView(cli, quiet: json);
        void Event(string name, Tracked t, object? extra = null)
        {
            if (json) Render.JsonLine(cli, new { @event = name, avid = t.Avid, task_id = t.TaskId, message = t.Message.Length > 0 ? t.Message : null, extra });
        }

        // The feed first: a short download could otherwise end between the submit and the connection.
        await using var feed = noWait ? null : await TaskFeed.TryConnectAsync(host, cli.Err, ct);
        var tracked = new List<Tracked>();
        foreach (var avid in avids)
        {
            var t = new Tracked { Avid = avid };
            tracked.Add(t);
            var answer = await host.PostAsync($"downloads/{HostApi.Escape(avid)}", null, ct);
            if (answer.Status == 202)
            {
                t.TaskId = Render.Text(answer.Data, "task_id");
                view.Update(avid, "queued");
                Event("submitted", t);
            }
            else if (answer.Status == 409 && Render.Text(answer.Data, "status") == "completed")
            {
                (t.Ended, t.Succeeded, t.State, t.Message) = (true, true, "completed", "already downloaded");
                view.Update(avid, "completed", 100, "already downloaded", ended: true);
                Event("completed", t);
            }
            else if (answer.Status == 409 && !answer.HasData)
            {
                // 下载任务已存在: queued or running already; follow that task (its id comes from the queue).
                t.State = "attached";
                view.Update(avid, "queued", detail: "already in the queue");
                Event("attached", t);
            }
            else
            {
                (t.Ended, t.State, t.Message) = (true, "failed", answer.Describe());
                view.Update(avid, "failed", detail: t.Message, ended: true);
                Event("failed", t);
            }
        }
        if (noWait) return tracked.Any(t => t.State == "failed") ? ExitCodes.Failed : ExitCodes.Ok;

        var deadline = r.GetValue(_timeout) is { } seconds ? DateTimeOffset.UtcNow.AddSeconds(seconds) : (DateTimeOffset?)null;
        try
        {
            var outcome = await view.RunAsync(() => FollowAsync(host, feed, tracked, view, Event, deadline, ct));
            if (!json) Summary(cli, tracked);
            return outcome;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            var open = tracked.Where(t => !t.Ended).Select(t => t.Avid).ToList();
            await cli.Err.WriteLineAsync(open.Count == 0
                ? "interrupted"
                : $"stopped watching; still downloading in the host: {string.Join(", ", open)} (nassav cancel AVID stops one)");
            return ExitCodes.Interrupted;
        }
    }

    private static void Summary(CliContext cli, List<Tracked> tracked)
    {
        var done = tracked.Count(t => t.Ended && t.Succeeded);
        var failed = tracked.Where(t => t.Ended && !t.Succeeded).ToList();
        cli.Line($"{done} downloaded, {failed.Count} failed{(tracked.Any(t => !t.Ended) ? $", {tracked.Count(t => !t.Ended)} still running" : "")}");
        foreach (var f in failed) cli.Line($"  {f.Avid}: {f.Message}");
    }

    private static async Task<int> FollowAsync(HostApi host, TaskFeed? feed, List<Tracked> tracked, ProgressView view,
        Action<string, Tracked, object?> emit, DateTimeOffset? deadline, CancellationToken ct)
    {
        var nextPoll = DateTimeOffset.MinValue;
        while (tracked.Any(t => !t.Ended))
        {
            if (deadline is { } d && DateTimeOffset.UtcNow >= d) return ExitCodes.TimedOut;
            if (DateTimeOffset.UtcNow >= nextPoll)
            {
                await PollAsync(host, tracked, view, emit, ct);
                nextPoll = DateTimeOffset.UtcNow + PollInterval;
                continue;
            }
            if (await TaskFeed.NextAsync(feed, TimeSpan.FromMilliseconds(500), ct) is not { } frame) continue;
            if (frame.Type == FeedFrame.Reconnected) { nextPoll = DateTimeOffset.MinValue; continue; }
            var taskId = Render.Text(frame.Data, "task_id");
            var avid = Render.Text(frame.Data, "avid");
            var t = tracked.FirstOrDefault(x => !x.Ended && (x.TaskId is not null ? x.TaskId == taskId : x.Avid == avid));
            if (t is null) continue;
            t.TaskId ??= taskId;
            switch (frame.Type)
            {
                case "task_started":
                    t.State = "download";
                    view.Update(t.Avid, "download", 0);
                    emit("started", t, null);
                    break;
                case "progress_update":
                    var phase = Render.Text(frame.Data, "phase") is { Length: > 0 } p ? p : "download";
                    var percent = Render.Number(frame.Data, "percent");
                    var speed = Render.Text(frame.Data, "speed");
                    var eta = Render.Text(frame.Data, "eta");
                    t.State = phase;
                    view.Update(t.Avid, phase, percent, Detail(speed, eta));
                    emit("progress", t, new { phase, percent, speed, eta });
                    break;
                case "task_completed":
                    (t.Ended, t.Succeeded, t.State, t.Message) = (true, true, "completed", Render.Text(frame.Data, "message"));
                    view.Update(t.Avid, "completed", 100, ended: true);
                    emit("completed", t, null);
                    break;
                case "task_failed":
                    var error = Render.Text(frame.Data, "error");
                    (t.Ended, t.State, t.Message) = (true, "failed", Render.Text(frame.Data, "message") + (error.Length > 0 ? $" ({error})" : ""));
                    view.Update(t.Avid, "failed", detail: t.Message, ended: true);
                    emit("failed", t, null);
                    break;
            }
        }
        return tracked.All(t => t.Succeeded) ? ExitCodes.Ok : ExitCodes.Failed;
    }

    private static string Detail(string speed, string eta) =>
        string.Join("  ", new[] { speed, eta.Length > 0 ? "ETA " + eta : "" }.Where(s => s.Length > 0));

    /// <summary>
    /// The queue over REST: progress without the feed, and the end of a task whose frame was missed. A task gone from
    /// the queue twice in a row has ended: the library row tells how (the end frame usually arrives first and wins).
    /// </summary>
    private static async Task PollAsync(HostApi host, List<Tracked> tracked, ProgressView view, Action<string, Tracked, object?> emit, CancellationToken ct)
    {
        var answer = await host.GetAsync("tasks/queue/status", ct);
        if (!answer.Ok || answer.Data.ValueKind != JsonValueKind.Object) return;
        var tasks = new List<(JsonElement Task, bool Active)>();
        foreach (var (list, active) in new[] { ("active_tasks", true), ("pending_tasks", false) })
            if (answer.Data.TryGetProperty(list, out var items) && items.ValueKind == JsonValueKind.Array)
                tasks.AddRange(items.EnumerateArray().Select(i => (i, active)));
        foreach (var t in tracked.Where(t => !t.Ended))
        {
            var match = tasks.FirstOrDefault(x => t.TaskId is not null ? Render.Text(x.Task, "task_id") == t.TaskId : Render.Text(x.Task, "avid") == t.Avid);
            if (match.Task.ValueKind == JsonValueKind.Object)
            {
                t.GoneCount = 0;
                t.TaskId ??= Render.Text(match.Task, "task_id");
                if (match.Active && match.Task.TryGetProperty("progress", out var progress) && progress.ValueKind == JsonValueKind.Object)
                {
                    var percent = Render.Number(progress, "percent");
                    t.State = t.State is "queued" or "attached" ? "download" : t.State;
                    view.Update(t.Avid, t.State, percent, Detail(Render.Text(progress, "speed"), Render.Text(progress, "eta")));
                }
                else if (match.Active && t.State is "queued" or "attached")
                {
                    t.State = "download";
                    view.Update(t.Avid, "download", 0);
                }
                continue;
            }
            if (++t.GoneCount < 2) continue;
            var metadata = await host.GetAsync($"resource/metadata?avid={HostApi.Escape(t.Avid)}", ct);
            var downloaded = metadata.Ok && Render.Text(metadata.Data, "file_exists") == "yes";
            (t.Ended, t.Succeeded) = (true, downloaded);
            t.State = downloaded ? "completed" : "failed";
            t.Message = downloaded ? "" : "the task left the queue without a video (see the host's log)";
            view.Update(t.Avid, t.State, downloaded ? 100 : null, t.Message, ended: true);
            emit(t.State, t, null);
        }
    }
}
