namespace NasSav.Cli.Hosting;

/// <summary>
/// AVIDs from the command line and/or a file (<c>--file list.txt</c>, or <c>-</c> for stdin): one or more per line,
/// separated by spaces or commas; blank lines and <c>#</c> comments skipped; upper-cased, duplicates dropped in order.
/// </summary>
public static class AvidList
{
    public static List<string> Read(CliContext cli, IEnumerable<string>? arguments, string? file)
    {
        var tokens = new List<string>();
        foreach (var a in arguments ?? [])
        {
            if (a == "-") tokens.AddRange(Split(cli.In.ReadToEnd()));
            else tokens.AddRange(Split(a));
        }
        if (file is not null)
            tokens.AddRange(Split(file == "-" ? cli.In.ReadToEnd() : File.ReadAllText(file)));
        return tokens.Select(t => t.ToUpperInvariant()).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>As <see cref="Read"/>; null, after saying so on stderr, when no AVID was given at all.</summary>
    public static List<string>? Required(CliContext cli, IEnumerable<string>? arguments, string? file)
    {
        var avids = Read(cli, arguments, file);
        if (avids.Count > 0) return avids;
        cli.Err.WriteLine("no AVID given (arguments, --file list.txt, or - for stdin)");
        return null;
    }

    private static IEnumerable<string> Split(string text) =>
        text.Split('\n')
            .Select(line => line.Split('#')[0])
            .SelectMany(line => line.Split([' ', '\t', ',', '\r'], StringSplitOptions.RemoveEmptyEntries));
}
