using System.Text;
using System.Text.RegularExpressions;

namespace NasSav.Maintenance.Sync;

/// <summary>Include / exclude patterns on '/'-separated relative paths: <c>**</c> any depth, <c>*</c> within a segment, <c>?</c> one character.</summary>
public sealed class GlobPattern
{
    private readonly Regex _regex;
    public string Pattern { get; }

    public GlobPattern(string pattern)
    {
        Pattern = pattern;
        var sb = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                // "**/" also matches no folder at all.
                if (i + 2 < pattern.Length && pattern[i + 2] == '/') { sb.Append("(?:.*/)?"); i += 2; }
                else { sb.Append(".*"); i++; }
            }
            else if (c == '*') sb.Append("[^/]*");
            else if (c == '?') sb.Append("[^/]");
            else sb.Append(Regex.Escape(c.ToString()));
        }
        sb.Append('$');
        _regex = new Regex(sb.ToString(), RegexOptions.CultureInvariant);
    }

    public bool IsMatch(string path) => _regex.IsMatch(path);

    /// <summary>Selected when it matches an include (or there are none) and no exclude.</summary>
    public static bool Selected(string path, IReadOnlyList<GlobPattern> include, IReadOnlyList<GlobPattern> exclude) =>
        (include.Count == 0 || include.Any(p => p.IsMatch(path))) && !exclude.Any(p => p.IsMatch(path));
}
