using Spectre.Console;

namespace NasSav.Cli.Hosting;

/// <summary>
/// A per-item status table that changes while work runs (e.g. one row per AVID of an add). On a terminal a live
/// Spectre table redrawn a few times a second; otherwise one plain line each time an item's status changes
/// (<c>AVID  status  detail</c>), so a log shows every step once.
/// </summary>
public sealed class ItemBoard(CliContext cli, IReadOnlyList<string> headers, bool quiet = false)
{
    private readonly object _gate = new();
    private readonly List<string> _order = [];
    private readonly Dictionary<string, (string Status, string Detail)> _rows = new(StringComparer.Ordinal);

    /// <summary>A row in its initial state, not announced as a line (every item starts so).</summary>
    public void Add(string key, string status)
    {
        lock (_gate)
        {
            if (!_rows.ContainsKey(key)) _order.Add(key);
            _rows[key] = (status, "");
        }
    }

    public void Set(string key, string status, string detail = "")
    {
        lock (_gate)
        {
            var changed = !_rows.TryGetValue(key, out var old) || old.Status != status;
            if (!_rows.ContainsKey(key)) _order.Add(key);
            _rows[key] = (status, detail);
            if (changed && !cli.IsTerminal && !quiet) cli.Out.WriteLine($"{key}  {status}{(detail.Length > 0 ? "  " + detail : "")}");
        }
    }

    /// <summary>Runs <paramref name="work"/>, showing the live table meanwhile on a terminal (and once more at the end).</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> work)
    {
        if (!cli.IsTerminal || quiet) return await work();
        return await cli.Ansi.Live(Build()).AutoClear(false).StartAsync(async ctx =>
        {
            var running = work();
            while (!running.IsCompleted)
            {
                ctx.UpdateTarget(Build());
                await Task.WhenAny(running, Task.Delay(150));
            }
            ctx.UpdateTarget(Build());
            return await running;
        });
    }

    private Table Build()
    {
        lock (_gate)
            return Render.SpectreTable(headers, _order.Select(k => (IReadOnlyList<string?>)[k, _rows[k].Status, _rows[k].Detail]));
    }
}
