using System.CommandLine;
using System.Text.Json;
using NasSav.Cli.Hosting;

namespace NasSav.Cli.Library;

/// <summary>
/// <c>nassav add AVID… [--file list.txt | -]</c>: <c>POST /resource</c> per AVID (<c>--parallel</c> at a time) with a
/// live per-AVID table. An add the host answers 202 (still running) is followed by polling its metadata until the row
/// appears or <c>--timeout</c>. Exit 0 when every AVID is added or already there, 1 when one failed, 3 when one timed out.
/// </summary>
public sealed class AddCommand : ICliCommand
{
    private readonly Argument<string[]> _avids = new("avid") { Description = "AVIDs to add (- reads them from stdin).", Arity = ArgumentArity.ZeroOrMore };
    private readonly Option<string?> _file = new("--file", "-f") { Description = "A file of AVIDs (one or more a line, # comments; - for stdin)." };
    private readonly Option<string> _source = new("--source") { Description = "\"any\" (weight order) or one source's name.", DefaultValueFactory = _ => "any" };
    private readonly Option<int> _parallel = new("--parallel") { Description = "Adds at once.", DefaultValueFactory = _ => 4 };
    private readonly Option<double> _timeout = new("--timeout") { Description = "Seconds to wait for an add the host is still running.", DefaultValueFactory = _ => 300 };
    private readonly Option<bool> _json = new("--json") { Description = "One JSON object per AVID and line (avid, status, code, message, title)." };

    public Command Create(CliContext cli)
    {
        var command = new Command("add", "Add AVIDs to the library (source, metadata, cover, translation) with a live table.")
        {
            _avids, _file, _source, _parallel, _timeout, _json,
        };
        command.SetAction((r, ct) => RunAsync(cli, r, ct));
        return command;
    }

    private sealed record Outcome(string Avid, string Status, int Code, string Message, string? Title);

    private async Task<int> RunAsync(CliContext cli, ParseResult r, CancellationToken ct)
    {
        if (cli.Host(r) is not { } host) return ExitCodes.Refused;
        if (AvidList.Required(cli, r.GetValue(_avids), r.GetValue(_file)) is not { } avids) return ExitCodes.Refused;
        var json = r.GetValue(_json);
        var board = new ItemBoard(cli, ["avid", "status", "title / message"], quiet: json);
        foreach (var a in avids) board.Add(a, "waiting");
        using var slots = new SemaphoreSlim(Math.Clamp(r.GetValue(_parallel), 1, 32));
        var timeout = TimeSpan.FromSeconds(r.GetValue(_timeout));
        var source = r.GetValue(_source)!;

        var outcomes = await board.RunAsync(() => Task.WhenAll(avids.Select(async avid =>
        {
            await slots.WaitAsync(ct);
            try
            {
                board.Set(avid, "adding");
                var outcome = await AddAsync(host, avid, source, timeout, board, ct);
                board.Set(avid, outcome.Status, outcome.Title ?? outcome.Message);
                if (json) lock (board) Render.JsonLine(cli, new { avid = outcome.Avid, status = outcome.Status, code = outcome.Code, message = outcome.Message, title = outcome.Title });
                return outcome;
            }
            finally
            {
                slots.Release();
            }
        })));

        if (!json)
        {
            var added = outcomes.Count(o => o.Status == "added");
            var exists = outcomes.Count(o => o.Status == "exists");
            cli.Line($"{added} added, {exists} already there, {outcomes.Count(o => o.Status == "failed")} failed, {outcomes.Count(o => o.Status == "timed out")} timed out");
        }
        if (outcomes.Any(o => o.Status == "failed")) return ExitCodes.Failed;
        return outcomes.Any(o => o.Status == "timed out") ? ExitCodes.TimedOut : ExitCodes.Ok;
    }

    private static async Task<Outcome> AddAsync(HostApi host, string avid, string source, TimeSpan timeout, ItemBoard board, CancellationToken ct)
    {
        var answer = await host.PostAsync("resource", new { avid, source }, ct);
        switch (answer.Status)
        {
            case 201:
                return new Outcome(avid, "added", 201, answer.Message, Title(answer.Data.TryGetProperty("resource", out var res) ? res : default));
            case 409 when answer.Message.Contains("已存在", StringComparison.Ordinal):
                return new Outcome(avid, "exists", 409, answer.Message, Title(answer.Data));
            case 202:
            case 409:
                // Still running in the host (202), or already being added by someone else (409 正在处理中): wait for the row.
                board.Set(avid, "processing", answer.Message);
                return await WaitForRowAsync(host, avid, timeout, ct);
            default:
                return new Outcome(avid, "failed", answer.Status, answer.Message, null);
        }
    }

    private static async Task<Outcome> WaitForRowAsync(HostApi host, string avid, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            var metadata = await host.GetAsync($"resource/metadata?avid={HostApi.Escape(avid)}", ct);
            if (metadata.Ok) return new Outcome(avid, "added", 201, metadata.Message, Title(metadata.Data));
        }
        return new Outcome(avid, "timed out", 0, $"still being added after {timeout.TotalSeconds:0} s", null);
    }

    /// <summary>The title a person reads: translated, else the source's, else the original.</summary>
    public static string? Title(JsonElement resource)
    {
        foreach (var field in new[] { "translated_title", "source_title", "original_title" })
            if (Render.Text(resource, field) is { Length: > 0 } title) return title;
        return null;
    }
}
