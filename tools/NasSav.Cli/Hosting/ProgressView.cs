using System.Globalization;
using Spectre.Console;

namespace NasSav.Cli.Hosting;

/// <summary>
/// Progress of several items (downloads, a job run). On a terminal, Spectre progress bars redrawn a few times a
/// second; otherwise plain lines: every status change, and the percent at most every <see cref="LineInterval"/> per
/// item. Quiet (nothing printed) when the caller writes JSON events instead.
/// </summary>
public sealed class ProgressView(CliContext cli, bool quiet = false)
{
    public static readonly TimeSpan LineInterval = TimeSpan.FromSeconds(2);

    private sealed class Item
    {
        public required string Key;
        public string Status = "";
        public string Detail = "";
        public double? Percent;
        public bool Ended;
        public DateTimeOffset LastLine;
        public double? LastLinePercent;
        public ProgressTask? Bar;
    }

    private readonly object _gate = new();
    private readonly List<Item> _items = [];

    /// <param name="percent">0-100, or null when unknown (an indeterminate bar).</param>
    public void Update(string key, string status, double? percent = null, string detail = "", bool ended = false)
    {
        lock (_gate)
        {
            var item = _items.FirstOrDefault(i => i.Key == key);
            if (item is null) _items.Add(item = new Item { Key = key });
            var statusChanged = item.Status != status;
            item.Status = status;
            item.Detail = detail;
            item.Percent = percent ?? item.Percent;
            item.Ended |= ended;
            if (quiet || cli.IsTerminal) return;
            var now = DateTimeOffset.UtcNow;
            var due = percent is { } p && p != item.LastLinePercent && (now - item.LastLine >= LineInterval || p >= 100);
            if (!statusChanged && !due) return;
            item.LastLine = now;
            item.LastLinePercent = item.Percent;
            var pct = item.Percent is { } x && !ended ? string.Create(CultureInfo.InvariantCulture, $"  {x:0.0}%") : "";
            cli.Out.WriteLine($"{key}  {status}{pct}{(detail.Length > 0 ? "  " + detail : "")}");
        }
    }

    public async Task<T> RunAsync<T>(Func<Task<T>> work)
    {
        if (quiet || !cli.IsTerminal) return await work();
        return await cli.Ansi.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn())
            .StartAsync(async ctx =>
            {
                var running = work();
                while (true)
                {
                    Sync(ctx);
                    if (running.IsCompleted) break;
                    await Task.WhenAny(running, Task.Delay(150));
                }
                return await running;
            });
    }

    private void Sync(ProgressContext ctx)
    {
        lock (_gate)
        {
            foreach (var item in _items)
            {
                var bar = item.Bar ??= ctx.AddTask(item.Key, autoStart: true, maxValue: 100);
                bar.Description = Markup.Escape($"{item.Key}  {item.Status}{(item.Detail.Length > 0 ? "  " + item.Detail : "")}");
                bar.IsIndeterminate = item.Percent is null && !item.Ended;
                if (item.Percent is { } p) bar.Value = p;
                if (item.Ended && !bar.IsFinished)
                {
                    if (item.Status is "completed" or "done" or "succeeded") bar.Value = 100;
                    bar.StopTask();
                }
            }
            ctx.Refresh();
        }
    }
}
