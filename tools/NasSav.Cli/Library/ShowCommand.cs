using System.CommandLine;
using System.Text.Json;
using NasSav.Cli.Hosting;

namespace NasSav.Cli.Library;

/// <summary><c>nassav show AVID</c>: <c>GET /resource/metadata</c> as a list of fields, or <c>--json</c> (the API's data).</summary>
public sealed class ShowCommand : ICliCommand
{
    private readonly Argument<string> _avid = new("avid") { Description = "The AVID." };
    private readonly Option<bool> _json = new("--json") { Description = "The metadata as JSON." };

    public Command Create(CliContext cli)
    {
        var command = new Command("show", "Show one title's metadata.") { _avid, _json };
        command.SetAction((r, ct) => RunAsync(cli, r, ct));
        return command;
    }

    private async Task<int> RunAsync(CliContext cli, ParseResult r, CancellationToken ct)
    {
        if (cli.Host(r) is not { } host) return ExitCodes.Refused;
        var avid = r.GetValue(_avid)!.Trim().ToUpperInvariant();
        var answer = await host.GetAsync($"resource/metadata?avid={HostApi.Escape(avid)}", ct);
        if (!answer.Ok || answer.Data.ValueKind != JsonValueKind.Object)
        {
            await cli.Err.WriteLineAsync(answer.Describe());
            return ExitCodes.Failed;
        }
        var d = answer.Data;
        if (r.GetValue(_json))
        {
            Render.Json(cli, d);
            return ExitCodes.Ok;
        }
        var video = d.TryGetProperty("file_exists", out var fe) && fe.ValueKind == JsonValueKind.True
            ? $"yes ({Render.Size((long?)Render.Number(d, "file_size"))})"
            : "no";
        Render.Pairs(cli,
        [
            ("avid", Render.Text(d, "avid")),
            ("original title", Render.Text(d, "original_title")),
            ("source title", Render.Text(d, "source_title")),
            ("translated title", Render.Text(d, "translated_title")),
            ("translation", Render.Text(d, "translation_status") + (Render.Text(d, "translation_error") is { Length: > 0 } e ? $" ({e})" : "")),
            ("source", Render.Text(d, "source")),
            ("released", Render.Text(d, "release_date")),
            ("duration", Render.Text(d, "duration")),
            ("director", Render.Text(d, "director")),
            ("studio", Render.Text(d, "studio")),
            ("label", Render.Text(d, "label")),
            ("series", Render.Text(d, "series")),
            ("actors", Render.Text(d, "actors")),
            ("genres", Render.Text(d, "genres")),
            ("video", video),
            ("watched", Render.Text(d, "watched")),
            ("favorite", Render.Text(d, "is_favorite")),
        ]);
        return ExitCodes.Ok;
    }
}
