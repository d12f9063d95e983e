using System.CommandLine;
using System.Text.Json;
using NasSav.Cli.Hosting;

namespace NasSav.Cli.Library;

/// <summary>
/// <c>nassav refresh AVID… [--m3u8] [--metadata] [--translate]</c>: <c>POST /resource/refresh/{avid}</c>, one AVID after
/// the other. No flag means the host's default (m3u8 and metadata, as the web UI's "all"). Exit 1 when one failed.
/// </summary>
public sealed class RefreshCommand : ICliCommand
{
    private readonly Argument<string[]> _avids = new("avid") { Description = "AVIDs to refresh.", Arity = ArgumentArity.OneOrMore };
    private readonly Option<bool> _m3u8 = new("--m3u8") { Description = "Find the stream again." };
    private readonly Option<bool> _metadata = new("--metadata") { Description = "Scrape metadata, cover and actors again." };
    private readonly Option<bool> _translate = new("--translate") { Description = "Translate the title again." };
    private readonly Option<bool> _json = new("--json") { Description = "One JSON object per AVID and line (the API's data)." };

    public Command Create(CliContext cli)
    {
        var command = new Command("refresh", "Refresh titles: stream URL, metadata and/or translation.") { _avids, _m3u8, _metadata, _translate, _json };
        command.SetAction((r, ct) => RunAsync(cli, r, ct));
        return command;
    }

    private async Task<int> RunAsync(CliContext cli, ParseResult r, CancellationToken ct)
    {
        if (cli.Host(r) is not { } host) return ExitCodes.Refused;
        bool m3u8 = r.GetValue(_m3u8), metadata = r.GetValue(_metadata), translate = r.GetValue(_translate);
        object body = m3u8 || metadata || translate
            ? new { refresh_m3u8 = m3u8, refresh_metadata = metadata, retranslate = translate }
            : new { };
        var failed = 0;
        foreach (var avid in AvidList.Read(cli, r.GetValue(_avids), null))
        {
            var answer = await host.PostAsync($"resource/refresh/{HostApi.Escape(avid)}", body, ct);
            if (r.GetValue(_json))
                Render.JsonLine(cli, new { avid, code = answer.Status, message = answer.Message, data = answer.HasData ? (object)answer.Data : null });
            else if (answer.Status == 200)
                cli.Line($"{avid}  refreshed{Done(answer.Data)}");
            else if (answer.Status == 202)
                cli.Line($"{avid}  still running in the host ({answer.Message})");
            else
                cli.Line($"{avid}  failed  {answer.Describe()}");
            if (!answer.Ok) failed++;
        }
        return failed > 0 ? ExitCodes.Failed : ExitCodes.Ok;
    }

    private static string Done(JsonElement d)
    {
        var parts = new List<string>();
        if (Render.Text(d, "m3u8_refreshed") == "yes") parts.Add("m3u8" + (Render.Text(d, "m3u8_updated") == "yes" ? " (changed)" : ""));
        if (Render.Text(d, "metadata_refreshed") == "yes") parts.Add("metadata");
        if (Render.Text(d, "translation_queued") == "yes") parts.Add("translation queued");
        if (Render.Text(d, "translation_error") is { Length: > 0 } error) parts.Add("translation: " + error);
        return parts.Count == 0 ? "" : ": " + string.Join(", ", parts);
    }
}
