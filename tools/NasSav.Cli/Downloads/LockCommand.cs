using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using NasSav.Cli.Hosting;

namespace NasSav.Cli.Downloads;

/// <summary>
/// <c>nassav lock</c>: the download lease (<c>/monitoring/lock</c>: holder, age, tier, the task it runs, rates);
/// <c>--watch</c> re-reads it every <c>--interval</c> s until Ctrl-C; <c>--release</c> force-releases it
/// (<c>POST /monitoring/lock/release</c>; asks on a terminal, needs <c>--yes</c> without one).
/// </summary>
public sealed class LockCommand : ICliCommand
{
    private readonly Option<bool> _watch = new("--watch", "-w") { Description = "Keep monitoring until Ctrl-C." };
    private readonly Option<double> _interval = new("--interval") { Description = "Seconds between reads with --watch.", DefaultValueFactory = _ => 2 };
    private readonly Option<bool> _release = new("--release") { Description = "Force-release the lease (its holder is fenced off)." };
    private readonly Option<bool> _yes = new("--yes", "-y") { Description = "Do not ask before --release." };
    private readonly Option<bool> _json = new("--json") { Description = "The API's data as JSON." };

    public Command Create(CliContext cli)
    {
        var command = new Command("lock", "Monitor the download lock, or force-release it.") { _watch, _interval, _release, _yes, _json };
        command.SetAction((r, ct) => RunAsync(cli, r, ct));
        return command;
    }

    private async Task<int> RunAsync(CliContext cli, ParseResult r, CancellationToken ct)
    {
        if (cli.Host(r) is not { } host) return ExitCodes.Refused;
        if (r.GetValue(_release))
        {
            if (!Confirmation.Confirmed(cli, r.GetValue(_yes), "Force-release the download lock?")) return ExitCodes.Refused;
            var released = await host.PostAsync("monitoring/lock/release", null, ct);
            if (!released.Ok)
            {
                await cli.Err.WriteLineAsync(released.Describe());
                return ExitCodes.Refused;
            }
            if (r.GetValue(_json)) Render.Json(cli, released.Data);
            else cli.Line(Render.Text(released.Data, "released") == "yes"
                ? $"released (was held by {Render.Text(released.Data, "previous_holder")}, epoch {Render.Text(released.Data, "previous_epoch")}; now epoch {Render.Text(released.Data, "epoch")})"
                : $"the lock was free ({released.Message})");
            return ExitCodes.Ok;
        }

        var watch = r.GetValue(_watch);
        string? last = null;
        try
        {
            do
            {
                var answer = await host.GetAsync("monitoring/lock", ct);
                if (!answer.Ok || answer.Data.ValueKind != JsonValueKind.Object)
                {
                    await cli.Err.WriteLineAsync(answer.Describe());
                    return ExitCodes.Refused;
                }
                if (r.GetValue(_json))
                {
                    Render.Json(cli, answer.Data);
                }
                else
                {
                    var pairs = Pairs(answer.Data);
                    var text = string.Join('\n', pairs.Where(p => p.Key is not ("age" or "ttl left")).Select(p => $"{p.Key}={p.Value}"));
                    if (!watch || cli.IsTerminal || text != last)
                    {
                        if (watch && cli.IsTerminal) cli.Ansi.Clear(home: true);
                        else if (last is not null) cli.Out.WriteLine();
                        Render.Pairs(cli, pairs);
                    }
                    last = text;
                }
                if (watch) await Task.Delay(TimeSpan.FromSeconds(Math.Max(0.2, r.GetValue(_interval))), ct);
            } while (watch);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        return ExitCodes.Ok;
    }

    private static List<(string Key, string? Value)> Pairs(JsonElement d)
    {
        static string Seconds(JsonElement d, string name) =>
            Render.Number(d, name) is { } s ? TimeSpan.FromSeconds(Math.Round(s)).ToString("c", CultureInfo.InvariantCulture) : "";
        static string Rate(JsonElement d, string name) =>
            Render.Number(d, name) is { } x ? (x * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : "-";
        var task = d.TryGetProperty("current_task", out var t) && t.ValueKind == JsonValueKind.Object
            ? $"{Render.Text(t, "avid")} {Render.Text(t, "phase")} {Render.Text(t, "percent")}%"
            : "none";
        var timeouts = d.TryGetProperty("timeouts", out var to) && to.ValueKind == JsonValueKind.Object
            ? $"warn {Render.Text(to, "warn_after_minutes")} min, cancel {Render.Text(to, "cancel_after_minutes")} min, release {Render.Text(to, "force_release_after_minutes")} min"
            : "";
        return
        [
            ("state", Render.Text(d, "state")),
            ("holder", Render.Text(d, "holder") is { Length: > 0 } h ? h : "-"),
            ("instance", Render.Text(d, "instance")),
            ("epoch", Render.Text(d, "epoch")),
            ("age", Seconds(d, "age_seconds")),
            ("ttl left", Seconds(d, "remaining_ttl_seconds")),
            ("task", task),
            ("acquired", $"{Render.Text(d, "acquired")} of {Render.Text(d, "attempts")} attempts"),
            ("success rate", Rate(d, "success_rate")),
            ("timeout rate", Rate(d, "timeout_rate")),
            ("average hold", Seconds(d, "average_hold_seconds")),
            ("average wait", Seconds(d, "average_wait_seconds")),
            ("timeouts", timeouts),
        ];
    }
}
