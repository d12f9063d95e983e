using System.CommandLine;
using System.Text.Json;
using NasSav.Cli.Hosting;

namespace NasSav.Cli.Maintenance;

/// <summary><c>nassav import status</c>: the drop-folder importer (<c>/maintenance/import/status</c>).</summary>
public sealed class ImportCommand : ICliCommand
{
    private readonly Option<bool> _json = new("--json") { Description = "The API's data as JSON." };

    public Command Create(CliContext cli)
    {
        var status = new Command("status", "What the drop-folder importer watches, has queued, imported, failed or could not match.") { _json };
        status.SetAction((r, ct) => StatusAsync(cli, r, ct));
        return new Command("import", "The drop-folder importer.") { status };
    }

    private async Task<int> StatusAsync(CliContext cli, ParseResult r, CancellationToken ct)
    {
        if (cli.Host(r) is not { } host) return ExitCodes.Refused;
        var answer = await host.GetAsync("maintenance/import/status", ct);
        if (!answer.Ok || answer.Data.ValueKind != JsonValueKind.Object)
        {
            await cli.Err.WriteLineAsync(answer.Describe());
            return ExitCodes.Refused;
        }
        if (r.GetValue(_json)) { Render.Json(cli, answer.Data); return ExitCodes.Ok; }
        var pairs = new List<(string, string?)>();
        foreach (var p in answer.Data.EnumerateObject())
        {
            // Lists (items by state) are shown as their count and the first few names; scalars as they are.
            var value = p.Value.ValueKind == JsonValueKind.Array
                ? $"{p.Value.GetArrayLength()}{(p.Value.GetArrayLength() > 0 ? ": " + string.Join(", ", p.Value.EnumerateArray().Take(5).Select(Describe)) + (p.Value.GetArrayLength() > 5 ? ", …" : "") : "")}"
                : p.Value.ValueKind == JsonValueKind.Object ? Describe(p.Value) : Render.Text(p.Value);
            pairs.Add((p.Name, value));
        }
        Render.Pairs(cli, pairs);
        return ExitCodes.Ok;
    }

    private static string Describe(JsonElement item) => item.ValueKind switch
    {
        JsonValueKind.Object => Render.Text(item, "path")
            + (Render.Text(item, "error") is { Length: > 0 } e ? $" ({e})" : Render.Text(item, "reason") is { Length: > 0 } why ? $" ({why})" : ""),
        _ => Render.Text(item),
    };
}
