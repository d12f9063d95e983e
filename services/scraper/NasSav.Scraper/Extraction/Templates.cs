using System.Text;
using System.Text.RegularExpressions;

namespace NasSav.Scraper.Extraction;

/// <summary>Expands <c>{name}</c> placeholders; unknown names are left as they are.</summary>
public static partial class Templates
{
    [GeneratedRegex(@"\{(?<name>[A-Za-z_][A-Za-z0-9_]*)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    public static string Expand(string template, Func<string, string?> lookup) =>
        Placeholder().Replace(template, m => lookup(m.Groups["name"].Value) ?? m.Value);

    public static IReadOnlyList<string> Names(string template) =>
        Placeholder().Matches(template).Select(m => m.Groups["name"].Value).ToList();

    /// <summary>The variables every template knows: {scheme}, {domain}, {avid}, {avid_lower}.</summary>
    public static Func<string, string?> Site(string scheme, string domain, string avid) => name => name switch
    {
        "scheme" => scheme,
        "domain" => domain,
        "avid" => avid,
        "avid_lower" => avid.ToLowerInvariant(),
        _ => null,
    };

    /// <summary>Inserts the AVID into a regex pattern ({avid}, {avid_lower}), escaped.</summary>
    public static string ExpandRegex(string pattern, string avid)
    {
        var sb = new StringBuilder(pattern);
        sb.Replace("{avid}", System.Text.RegularExpressions.Regex.Escape(avid));
        sb.Replace("{avid_lower}", System.Text.RegularExpressions.Regex.Escape(avid.ToLowerInvariant()));
        return sb.ToString();
    }
}
