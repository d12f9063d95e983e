using System.Text.RegularExpressions;

namespace NasSav.Scraper.Extraction;

/// <summary>
/// The rule transforms: <c>split:X</c>, <c>reverse</c>, <c>join:X</c>, <c>lower</c>, <c>upper</c>,
/// <c>trim</c>, <c>strip-avid</c>. A value is text or, after <c>split</c>, a list of texts.
/// </summary>
public static class Transforms
{
    public delegate object Step(object value, string avid);

    /// <summary>Parses one transform; null with an error for an unknown one.</summary>
    public static Step? Parse(string spec, out string? error)
    {
        error = null;
        var colon = spec.IndexOf(':');
        var name = (colon < 0 ? spec : spec[..colon]).Trim().ToLowerInvariant();
        var arg = colon < 0 ? null : spec[(colon + 1)..];
        switch (name)
        {
            case "split" when !string.IsNullOrEmpty(arg):
                return (v, _) => v is string s ? s.Split(arg).ToList() : v;
            case "join":
                return (v, _) => v is List<string> l ? string.Join(arg ?? "", l) : v;
            case "reverse":
                return (v, _) => v is List<string> l ? Enumerable.Reverse(l).ToList() : new string(((string)v).Reverse().ToArray());
            case "lower":
                return (v, _) => Map(v, s => s.ToLowerInvariant());
            case "upper":
                return (v, _) => Map(v, s => s.ToUpperInvariant());
            case "trim":
                return (v, _) => Map(v, s => s.Trim());
            case "strip-avid":
                return (v, avid) => Map(v, s => StripAvid(s, avid));
            default:
                error = $"unknown transform '{spec}' (split:X, join:X, reverse, lower, upper, trim, strip-avid)";
                return null;
        }
    }

    private static object Map(object v, Func<string, string> f) => v is List<string> l ? l.Select(f).ToList() : f((string)v);

    private const string Separators = @"[\s\-–—:：|｜\[\]\(\)【】（）]*";

    /// <summary>Removes the AVID (any case) and the separators around it.</summary>
    public static string StripAvid(string text, string avid)
    {
        if (string.IsNullOrEmpty(avid)) return text.Trim();
        var pattern = Separators + Regex.Escape(avid) + Separators;
        return Regex.Replace(text, pattern, " ", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)).Trim();
    }
}
