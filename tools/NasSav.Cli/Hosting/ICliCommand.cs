using System.CommandLine;

namespace NasSav.Cli.Hosting;

/// <summary>
/// One top-level command of <c>nassav</c>, in a file of its own under its feature folder. Every non-abstract class
/// of this assembly implementing it (with a parameterless constructor) is found and added to the root command, so a
/// new command is one new file and nothing else.
/// </summary>
public interface ICliCommand
{
    Command Create(CliContext cli);
}
