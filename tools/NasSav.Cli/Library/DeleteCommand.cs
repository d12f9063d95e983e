using System.CommandLine;
using NasSav.Cli.Hosting;

namespace NasSav.Cli.Library;

/// <summary>
/// <c>nassav delete AVID… [--video-only] [--yes]</c>: <c>DELETE /resource/{avid}</c> (row and every file) or, with
/// <c>--video-only</c>, <c>DELETE /downloads/{avid}</c> (the video; a running download of it is cancelled first).
/// Asks on a terminal; without one it needs <c>--yes</c>. Exit 1 when one failed.
/// </summary>
public sealed class DeleteCommand : ICliCommand
{
    private readonly Argument<string[]> _avids = new("avid") { Description = "AVIDs to delete.", Arity = ArgumentArity.OneOrMore };
    private readonly Option<bool> _videoOnly = new("--video-only") { Description = "Delete only the video; the title stays in the library." };
    private readonly Option<bool> _yes = new("--yes", "-y") { Description = "Do not ask." };

    public Command Create(CliContext cli)
    {
        var command = new Command("delete", "Delete titles (row, cover, thumbnails, video) or only their video.") { _avids, _videoOnly, _yes };
        command.SetAction((r, ct) => RunAsync(cli, r, ct));
        return command;
    }

    private async Task<int> RunAsync(CliContext cli, ParseResult r, CancellationToken ct)
    {
        if (cli.Host(r) is not { } host) return ExitCodes.Refused;
        var avids = AvidList.Read(cli, r.GetValue(_avids), null);
        var videoOnly = r.GetValue(_videoOnly);
        var what = videoOnly ? "the video of" : "";
        if (!Confirmation.Confirmed(cli, r.GetValue(_yes), $"Delete {what} {string.Join(", ", avids)}?".Replace("  ", " ", StringComparison.Ordinal)))
            return ExitCodes.Refused;
        var failed = 0;
        foreach (var avid in avids)
        {
            var answer = videoOnly
                ? await host.DeleteAsync($"downloads/{HostApi.Escape(avid)}", ct)
                : await host.DeleteAsync($"resource/{HostApi.Escape(avid)}", ct);
            if (!answer.Ok)
            {
                failed++;
                cli.Line($"{avid}  failed  {answer.Describe()}");
                continue;
            }
            if (videoOnly)
            {
                var size = (long?)Render.Number(answer.Data, "file_size");
                cli.Line($"{avid}  video deleted{(size is null ? " (the file was already gone)" : $" ({Render.Size(size)})")}");
            }
            else
            {
                var files = answer.Data.TryGetProperty("deleted_files", out var f) ? f.GetArrayLength() : 0;
                cli.Line($"{avid}  deleted ({files} file{(files == 1 ? "" : "s")})");
            }
        }
        return failed > 0 ? ExitCodes.Failed : ExitCodes.Ok;
    }
}
