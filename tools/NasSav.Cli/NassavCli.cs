using System.CommandLine;
using NasSav.Cli.Hosting;

namespace NasSav.Cli;

/// <summary>
/// The <c>nassav</c> command line. Commands talk to a running host through its public API and task WebSocket
/// (<c>--url</c>, <c>--api-key</c>), except <c>get</c>, which runs the HLS engine here. Each command is a class
/// implementing <see cref="ICliCommand"/> in its feature folder, found by reflection. Exit codes: <see cref="ExitCodes"/>.
/// </summary>
public sealed class NassavCli
{
    public const int Ok = ExitCodes.Ok, SomeFailed = ExitCodes.Failed, ApiError = ExitCodes.Refused, TimedOut = ExitCodes.TimedOut;
    public const string DefaultUrl = CliContext.DefaultUrl;

    private readonly CliContext _cli;

    /// <param name="clients">The HttpClient for a base URL (tests hand in their test server's).</param>
    public NassavCli(Func<Uri, HttpClient> clients, TextWriter output, TextWriter error)
        : this(new CliContext(clients, output, error, TextReader.Null, terminal: false))
    {
    }

    public NassavCli(CliContext cli) => _cli = cli;

    public RootCommand Build()
    {
        var root = new RootCommand("NasSav command line: the library, downloads and jobs of a running host; `get` downloads an HLS stream without one.");
        root.Options.Add(_cli.Url);
        root.Options.Add(_cli.ApiKey);
        foreach (var command in Commands().Select(c => c.Create(_cli)).OrderBy(c => c.Name, StringComparer.Ordinal))
            root.Subcommands.Add(command);
        return root;
    }

    /// <summary>Every <see cref="ICliCommand"/> of this assembly: a new command is a new file, nothing to register.</summary>
    private static IEnumerable<ICliCommand> Commands() =>
        typeof(NassavCli).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ICliCommand).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => (ICliCommand)Activator.CreateInstance(t)!);

    public async Task<int> RunAsync(string[] args, CancellationToken ct = default)
    {
        var parsed = Build().Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var e in parsed.Errors) await _cli.Err.WriteLineAsync(e.Message);
            await _cli.Err.WriteLineAsync("See: nassav --help");
            return ExitCodes.Refused;
        }
        var invocation = new InvocationConfiguration
        {
            Output = _cli.Out,
            Error = _cli.Err,
            // Program.cs owns Ctrl-C/SIGTERM (it cancels ct); exceptions are handled below with our exit codes.
            ProcessTerminationTimeout = null,
            EnableDefaultExceptionHandler = false,
        };
        try
        {
            return await parsed.InvokeAsync(invocation, ct);
        }
        catch (HostUnreachableException ex)
        {
            await _cli.Err.WriteLineAsync(ex.Message);
            return ExitCodes.Refused;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await _cli.Err.WriteLineAsync("interrupted");
            return ExitCodes.Interrupted;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A bug or an answer we did not expect: one line, not a crash dump (NASSAV_DEBUG=1 shows the stack).
            await _cli.Err.WriteLineAsync(Environment.GetEnvironmentVariable("NASSAV_DEBUG") == "1" ? ex.ToString() : $"nassav: {ex.GetType().Name}: {ex.Message}");
            return ExitCodes.Failed;
        }
    }
}
