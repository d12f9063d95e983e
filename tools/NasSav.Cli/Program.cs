using System.Runtime.InteropServices;
using System.Text;
using NasSav.Cli.Hosting;

namespace NasSav.Cli;

/// <summary>
/// nassav &lt;command&gt; [options]; <c>nassav --help</c> lists the commands, README.md shows them. A named class, not
/// top-level statements: with ASP.NET Core in the references (the downloader's engine) .NET 10 makes a top-level
/// <c>Program</c> public, which would clash with the hosts' <c>Program</c> in test projects that reference both.
/// </summary>
internal static class EntryPoint
{
    private static async Task<int> Main(string[] args)
    {
        Console.OutputEncoding = Encoding.UTF8;
        using var interrupt = new CancellationTokenSource();
        // First Ctrl-C (or SIGTERM) cancels: the command stops its view, a `get` keeps its parts for a resume. A second
        // Ctrl-C is not intercepted, so a stuck process can still be killed from the keyboard.
        void OnSignal(PosixSignalContext context)
        {
            if (interrupt.IsCancellationRequested) return;
            context.Cancel = true;
            interrupt.Cancel();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

        using var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        var cli = new CliContext(url => new HttpClient(handler, disposeHandler: false) { BaseAddress = url, Timeout = TimeSpan.FromMinutes(5) },
            Console.Out, Console.Error, Console.In, terminal: !Console.IsOutputRedirected);
        return await new NassavCli(cli).RunAsync(args, interrupt.Token);
    }
}
