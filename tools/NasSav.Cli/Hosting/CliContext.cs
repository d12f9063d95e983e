using System.CommandLine;
using Spectre.Console;

namespace NasSav.Cli.Hosting;

/// <summary>
/// What every command shares: where output goes, whether it is a terminal (live tables and progress bars) or not
/// (plain lines), and the host options <c>--url</c> / <c>--api-key</c> (global: accepted before or after the command).
/// </summary>
public sealed class CliContext
{
    public const string DefaultUrl = "http://127.0.0.1:9790";

    private readonly Func<Uri, HttpClient> _clients;
    private IAnsiConsole? _ansi;

    public CliContext(Func<Uri, HttpClient> clients, TextWriter output, TextWriter error, TextReader input, bool terminal)
    {
        _clients = clients;
        Out = output;
        Err = error;
        In = input;
        IsTerminal = terminal;
    }

    public TextWriter Out { get; }
    public TextWriter Err { get; }
    public TextReader In { get; }
    /// <summary>stdout is a terminal: progress bars and live tables; otherwise plain lines a pipe or a log can take.</summary>
    public bool IsTerminal { get; }

    /// <summary>Spectre's console over <see cref="Out"/>; only used when <see cref="IsTerminal"/>.</summary>
    public IAnsiConsole Ansi => _ansi ??= AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Out),
        Ansi = IsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
        ColorSystem = IsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        Interactive = IsTerminal ? InteractionSupport.Yes : InteractionSupport.No,
    });

    public Option<string> Url { get; } = new("--url")
    {
        Description = "The host's base URL: the gateway or the standalone host (env NASSAV_URL).",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("NASSAV_URL") is { Length: > 0 } u ? u : DefaultUrl,
    };

    public Option<string?> ApiKey { get; } = new("--api-key")
    {
        Description = "Sent as X-Api-Key (env NASSAV_API_KEY).",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("NASSAV_API_KEY"),
    };

    /// <summary>The host named by <c>--url</c>; null (after saying why on stderr) when the URL is unusable.</summary>
    public HostApi? Host(ParseResult r)
    {
        var raw = r.GetValue(Url);
        if (!Uri.TryCreate(raw, UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https"))
        {
            Err.WriteLine($"--url must be an absolute http(s) URL: {raw}");
            return null;
        }
        if (!baseUrl.AbsolutePath.EndsWith('/')) baseUrl = new Uri(baseUrl + "/");
        return new HostApi(_clients(baseUrl), baseUrl, r.GetValue(ApiKey));
    }

    /// <summary>A plain line on stdout (also while a terminal view runs: Spectre redraws below it).</summary>
    public void Line(string text)
    {
        if (IsTerminal) Ansi.WriteLine(text);
        else Out.WriteLine(text);
    }
}
