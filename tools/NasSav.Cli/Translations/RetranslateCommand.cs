using System.CommandLine;
using System.Text.Json;
using NasSav.Cli.Hosting;

namespace NasSav.Cli.Translations;

/// <summary>
/// <c>nassav retranslate</c>: posts to <c>/translations/retranslate</c>, then polls <c>/translations/status?avid=…</c>
/// for the queued titles until none is translating or pending (or <c>--timeout</c> passes). Exit codes: 0 done,
/// 1 some translations failed, 2 the API refused or could not be reached, 3 timed out waiting.
/// </summary>
public sealed class RetranslateCommand : ICliCommand
{
    private const int StatusChunk = 200;

    private readonly Option<string[]> _status = new("--status")
    {
        Description = "translation_status to select (pending, translating, completed, failed, skipped); repeatable. Default: failed and pending (all statuses with --avid).",
        AllowMultipleArgumentsPerToken = true,
    };
    private readonly Option<string[]> _avid = new("--avid") { Description = "An AVID to retranslate; repeatable.", AllowMultipleArgumentsPerToken = true };
    private readonly Option<bool> _dryRun = new("--dry-run") { Description = "Only list what would be retranslated." };
    private readonly Option<bool> _force = new("--force") { Description = "Bypass the translator's cache (same text, engine, model and prompt)." };
    private readonly Option<int?> _limit = new("--limit") { Description = "At most this many titles (server default 1000)." };
    private readonly Option<double> _timeout = new("--timeout") { Description = "Seconds to wait for the queued titles to settle.", DefaultValueFactory = _ => 600 };
    private readonly Option<double> _interval = new("--interval") { Description = "Seconds between progress polls.", DefaultValueFactory = _ => 2 };
    private readonly Option<bool> _noWait = new("--no-wait") { Description = "Queue and exit without following the progress." };

    public Command Create(CliContext cli)
    {
        var command = new Command("retranslate", "Retranslate titles selected by translation_status and/or AVID, then follow the progress.")
        {
            _status, _avid, _dryRun, _force, _limit, _timeout, _interval, _noWait,
        };
        command.SetAction((r, ct) => RunAsync(cli, r, ct));
        return command;
    }

    private async Task<int> RunAsync(CliContext cli, ParseResult r, CancellationToken ct)
    {
        if (cli.Host(r) is not { } host) return ExitCodes.Refused;
        var body = new Dictionary<string, object?>();
        if (r.GetValue(_status) is { Length: > 0 } statuses) body["status"] = statuses;
        if (r.GetValue(_avid) is { Length: > 0 } avids) body["avids"] = avids;
        if (r.GetValue(_dryRun)) body["dry_run"] = true;
        if (r.GetValue(_force)) body["force"] = true;
        if (r.GetValue(_limit) is { } limit) body["limit"] = limit;

        var answer = await host.PostAsync("translations/retranslate", body, ct);
        if (!answer.Ok || !answer.HasData)
        {
            await cli.Err.WriteLineAsync(answer.Describe());
            return ExitCodes.Refused;
        }
        var data = answer.Data;
        var items = data.GetProperty("items").EnumerateArray().ToList();
        var dry = data.TryGetProperty("dry_run", out var d) && d.GetBoolean();
        cli.Line(dry
            ? $"dry run: {data.GetProperty("selected").GetInt32()} selected"
            : $"selected {data.GetProperty("selected").GetInt32()}, queued {data.GetProperty("queued").GetInt32()}, skipped {data.GetProperty("skipped").GetInt32()}");
        foreach (var item in items)
        {
            var was = item.TryGetProperty("translation_status", out var ts) && ts.ValueKind == JsonValueKind.String ? $" (was {ts.GetString()})" : "";
            var message = item.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? $": {m.GetString()}" : "";
            cli.Line($"  {item.GetProperty("avid").GetString()}  {item.GetProperty("status").GetString()}{was}{message}");
        }
        if (dry || r.GetValue(_noWait)) return ExitCodes.Ok;

        var queued = items.Where(i => i.GetProperty("status").GetString() is "queued" or "submitted")
            .Select(i => i.GetProperty("avid").GetString()!).ToList();
        if (queued.Count == 0) return ExitCodes.Ok;
        return await FollowAsync(cli, host, queued, TimeSpan.FromSeconds(r.GetValue(_timeout)), TimeSpan.FromSeconds(r.GetValue(_interval)), ct);
    }

    /// <summary>Polls the counts of the queued AVIDs until none is translating (or pending: not yet picked up).</summary>
    private static async Task<int> FollowAsync(CliContext cli, HostApi host, List<string> avids, TimeSpan timeout, TimeSpan interval, CancellationToken ct)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        string? last = null;
        while (true)
        {
            var counts = new Dictionary<string, int>();
            foreach (var chunk in avids.Chunk(StatusChunk))
            {
                var query = string.Join("&", chunk.Select(a => "avid=" + HostApi.Escape(a)));
                var answer = await host.GetAsync($"translations/status?{query}", ct);
                if (!answer.Ok || !answer.HasData)
                {
                    await cli.Err.WriteLineAsync(answer.Describe());
                    return ExitCodes.Refused;
                }
                foreach (var p in answer.Data.EnumerateObject())
                    if (p.Value.ValueKind == JsonValueKind.Number) counts[p.Name] = counts.GetValueOrDefault(p.Name) + p.Value.GetInt32();
            }
            int C(string s) => counts.GetValueOrDefault(s);
            var busy = C("translating") + C("pending");
            var line = $"progress: {avids.Count - busy}/{avids.Count} settled (completed {C("completed")}, failed {C("failed")}, skipped {C("skipped")}, translating {C("translating")}, pending {C("pending")})";
            if (line != last) cli.Line(line);
            last = line;
            if (busy == 0)
            {
                if (C("failed") > 0)
                {
                    cli.Line($"{C("failed")} failed; see translation_error in /resource/metadata, then: nassav retranslate --status failed");
                    return ExitCodes.Failed;
                }
                cli.Line("done");
                return ExitCodes.Ok;
            }
            if (DateTimeOffset.UtcNow >= deadline)
            {
                await cli.Err.WriteLineAsync($"timed out after {timeout.TotalSeconds:0.#} s with {busy} still translating");
                return ExitCodes.TimedOut;
            }
            await Task.Delay(interval, ct);
        }
    }
}
