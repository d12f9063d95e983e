using System.CommandLine;
using NasSav.Cli.Hosting;

namespace NasSav.Cli.Downloads;

/// <summary><c>nassav cancel AVID…</c>: <c>POST /downloads/{avid}/cancel</c>. Exit 1 when an AVID had no download to cancel.</summary>
public sealed class CancelCommand : ICliCommand
{
    private readonly Argument<string[]> _avids = new("avid") { Description = "AVIDs whose queued or running download to cancel.", Arity = ArgumentArity.OneOrMore };

    public Command Create(CliContext cli)
    {
        var command = new Command("cancel", "Cancel queued or running downloads.") { _avids };
        command.SetAction((r, ct) => RunAsync(cli, r, ct));
        return command;
    }

    private async Task<int> RunAsync(CliContext cli, ParseResult r, CancellationToken ct)
    {
        if (cli.Host(r) is not { } host) return ExitCodes.Refused;
        var failed = 0;
        foreach (var avid in AvidList.Read(cli, r.GetValue(_avids), null))
        {
            var answer = await host.PostAsync($"downloads/{HostApi.Escape(avid)}/cancel", null, ct);
            if (answer.Ok) cli.Line($"{avid}  cancelled");
            else
            {
                failed++;
                cli.Line($"{avid}  failed  {answer.Describe()}");
            }
        }
        return failed > 0 ? ExitCodes.Failed : ExitCodes.Ok;
    }
}
