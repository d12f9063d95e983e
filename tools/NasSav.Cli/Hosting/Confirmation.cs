namespace NasSav.Cli.Hosting;

/// <summary>
/// Destructive commands (delete, lock release) ask on a terminal unless <c>--yes</c>; without a terminal nobody can
/// answer, so they refuse unless <c>--yes</c> says the script means it.
/// </summary>
public static class Confirmation
{
    public static bool Confirmed(CliContext cli, bool yes, string question)
    {
        if (yes) return true;
        if (!cli.IsTerminal)
        {
            cli.Err.WriteLine($"{question} Refusing without --yes (not a terminal).");
            return false;
        }
        return Spectre.Console.AnsiConsoleExtensions.Confirm(cli.Ansi, question, defaultValue: false);
    }
}
