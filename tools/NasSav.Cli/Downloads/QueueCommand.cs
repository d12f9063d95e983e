using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using NasSav.Cli.Hosting;
using Spectre.Console;

namespace NasSav.Cli.Downloads;

/// <summary>
/// <c>nassav queue</c>: the download queue (<c>/tasks/queue/status</c>), live from the task WebSocket until Ctrl-C
/// (queue_status replaces it, progress_update moves the bars; re-read over REST every 5 s), or once with
/// <c>--once</c> / <c>--json</c>. A live table on a terminal; without one, the table again whenever it changes.
/// A view that only Ctrl-C ends exits 0 on it.
/// </summary>
public sealed class QueueCommand : ICliCommand
{
    private readonly Option<bool> _once = new("--once") { Description = "Print the queue once and exit." };
    private readonly Option<bool> _json = new("--json") { Description = "The queue as JSON, once." };

    public Command Create(CliContext cli)
    {
        var command = new Command("queue", "Watch the download queue live (Ctrl-C to quit; downloads go on).") { _once, _json };
        command.SetAction((r, ct) => RunAsync(cli, r, ct));
        return command;
    }

    private sealed record Row(string Avid, string TaskId, string State, double? Percent, string Speed, string Eta, string Phase, string Queued);

    private async Task<int> RunAsync(CliContext cli, ParseResult r, CancellationToken ct)
    {
        if (cli.Host(r) is not { } host) return ExitCodes.Refused;
        var first = await host.GetAsync("tasks/queue/status", ct);
        if (!first.Ok || first.Data.ValueKind != JsonValueKind.Object)
        {
            await cli.Err.WriteLineAsync(first.Describe());
            return ExitCodes.Refused;
        }
        if (r.GetValue(_json))
        {
            Render.Json(cli, first.Data);
            return ExitCodes.Ok;
        }
        var rows = Rows(first.Data);
        if (r.GetValue(_once))
        {
            Print(cli, rows);
            return ExitCodes.Ok;
        }

        await using var feed = await TaskFeed.TryConnectAsync(host, cli.Err, ct);
        try
        {
            if (cli.IsTerminal)
            {
                await cli.Ansi.Live(Table(rows)).AutoClear(false).StartAsync(async ctx =>
                {
                    await WatchAsync(host, feed, rows, updated => { rows = updated; ctx.UpdateTarget(Table(rows)); }, ct);
                });
            }
            else
            {
                Print(cli, rows);
                var last = Lines(rows);
                await WatchAsync(host, feed, rows, updated =>
                {
                    rows = updated;
                    var text = Lines(rows);
                    if (text == last) return;
                    last = text;
                    cli.Out.WriteLine();
                    Print(cli, rows);
                }, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        return ExitCodes.Ok;
    }

    private static async Task WatchAsync(HostApi host, TaskFeed? feed, List<Row> rows, Action<List<Row>> show, CancellationToken ct)
    {
        var nextPoll = DateTimeOffset.UtcNow.AddSeconds(5);
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (DateTimeOffset.UtcNow >= nextPoll)
            {
                var answer = await host.GetAsync("tasks/queue/status", ct);
                if (answer.Ok && answer.Data.ValueKind == JsonValueKind.Object) show(rows = Merge(Rows(answer.Data), rows));
                nextPoll = DateTimeOffset.UtcNow.AddSeconds(feed is null ? 2 : 5);
                continue;
            }
            if (await TaskFeed.NextAsync(feed, TimeSpan.FromSeconds(1), ct) is not { } frame) continue;
            switch (frame.Type)
            {
                case "queue_status":
                    show(rows = Merge(Rows(frame.Data), rows));
                    break;
                case "progress_update":
                    var taskId = Render.Text(frame.Data, "task_id");
                    var percent = Render.Number(frame.Data, "percent");
                    show(rows = rows.Select(x => x.TaskId == taskId
                        ? x with { Percent = percent, Speed = Render.Text(frame.Data, "speed"), Eta = Render.Text(frame.Data, "eta"), Phase = Render.Text(frame.Data, "phase") }
                        : x).ToList());
                    break;
                case FeedFrame.Reconnected:
                    nextPoll = DateTimeOffset.MinValue;
                    break;
            }
        }
    }

    /// <summary>A fresh queue keeps the phase a progress frame told (the queue's snapshot has none).</summary>
    private static List<Row> Merge(List<Row> fresh, List<Row> old) =>
        fresh.Select(f => old.FirstOrDefault(o => o.TaskId == f.TaskId) is { Phase.Length: > 0 } o && f.Phase.Length == 0 ? f with { Phase = o.Phase } : f).ToList();

    private static List<Row> Rows(JsonElement data)
    {
        var rows = new List<Row>();
        foreach (var (list, state) in new[] { ("active_tasks", "active"), ("pending_tasks", "pending") })
        {
            if (!data.TryGetProperty(list, out var items) || items.ValueKind != JsonValueKind.Array) continue;
            foreach (var t in items.EnumerateArray())
            {
                var progress = t.TryGetProperty("progress", out var pr) && pr.ValueKind == JsonValueKind.Object ? pr : default;
                var percent = Render.Number(progress, "percent");
                rows.Add(new Row(Render.Text(t, "avid"), Render.Text(t, "task_id"), state, percent,
                    Render.Text(progress, "speed"), Render.Text(progress, "eta"), "",
                    t.TryGetProperty("created_at", out var c) ? Render.Time(c) : ""));
            }
        }
        return rows;
    }

    private static IReadOnlyList<string?>[] Cells(List<Row> rows) => rows.Select(x => (IReadOnlyList<string?>)
    [
        x.Avid, x.State + (x.Phase.Length > 0 ? $" ({x.Phase})" : ""),
        x.Percent is { } p ? p.ToString("0.0", CultureInfo.InvariantCulture) + "%" : "", x.Speed, x.Eta, x.Queued,
    ]).ToArray();

    private static readonly string[] Headers = ["avid", "state", "progress", "speed", "eta", "queued at"];

    private static void Print(CliContext cli, List<Row> rows)
    {
        if (rows.Count == 0) { cli.Line("the queue is empty"); return; }
        Render.Table(cli, Headers, Cells(rows));
    }

    private static string Lines(List<Row> rows) => string.Join('\n', Render.PlainLines(Headers, Cells(rows)));

    private static Table Table(List<Row> rows)
    {
        var table = Render.SpectreTable(Headers, Cells(rows));
        table.Caption = new TableTitle(rows.Count == 0 ? "the queue is empty — Ctrl-C to quit" : "Ctrl-C to quit (downloads go on)");
        return table;
    }
}
