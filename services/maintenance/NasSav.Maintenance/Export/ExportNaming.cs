using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using NasSav.Contracts.Export;

namespace NasSav.Maintenance.Export;

/// <summary>
/// Folder names from the template: each token's value is made safe (no separators, no characters Windows, SMB or the
/// media servers choke on, no leading dots, at most <see cref="MaxNameBytes"/> UTF-8 bytes), so a name can never
/// reach outside the export folder, whatever a title contains.
/// </summary>
public static partial class ExportNaming
{
    /// <summary>ext4 and most file systems allow 255 bytes a name; room is kept for ".mp4" and temporary suffixes.</summary>
    public const int MaxNameBytes = 200;

    public static readonly IReadOnlyList<string> Tokens =
        ["avid", "title", "original_title", "year", "release_date", "studio", "label", "series", "director", "actor", "actors"];

    [GeneratedRegex(@"\{([^{}]*)\}")]
    private static partial Regex Token();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    public static IEnumerable<string> ValidateTemplate(string? template)
    {
        if (string.IsNullOrWhiteSpace(template)) { yield return "must not be empty"; yield break; }
        foreach (Match m in Token().Matches(template))
            if (!Tokens.Contains(m.Groups[1].Value)) yield return $"unknown token {{{m.Groups[1].Value}}} (known: {string.Join(", ", Tokens.Select(t => "{" + t + "}"))})";
        if (!template.Contains("{avid}", StringComparison.Ordinal)) yield return "must contain {avid}, so two titles never share a folder";
    }

    public static string FolderName(string template, ResourceDetail d, string title)
    {
        var year = d.ReleaseDate.Length >= 4 && int.TryParse(d.ReleaseDate[..4], NumberStyles.None, CultureInfo.InvariantCulture, out _) ? d.ReleaseDate[..4] : "";
        var values = new Dictionary<string, string>
        {
            ["avid"] = d.Avid,
            ["title"] = title,
            ["original_title"] = d.OriginalTitle,
            ["year"] = year,
            ["release_date"] = d.ReleaseDate,
            ["studio"] = d.Studio ?? "",
            ["label"] = d.Label ?? "",
            ["series"] = d.Series ?? "",
            ["director"] = d.Director ?? "",
            ["actor"] = d.Actors.Count > 0 ? d.Actors[0].Name : "",
            ["actors"] = string.Join(", ", d.Actors.Select(a => a.Name)),
        };
        var name = Token().Replace(template, m => Clean(values.GetValueOrDefault(m.Groups[1].Value, "")));
        // The template's own text is cleaned too ("/" in a template is not a way out), and empty brackets of a
        // missing value go: "{avid} ({year})" without a year is "ABC-123", not "ABC-123 ()".
        name = Clean(name.Replace("()", "", StringComparison.Ordinal).Replace("[]", "", StringComparison.Ordinal));
        name = Truncate(name, MaxNameBytes).TrimEnd(' ', '.');
        return name.Length == 0 || name is "." or ".." ? d.Avid : name;
    }

    /// <summary>Path separators and reserved characters become "_", control characters and runs of spaces one space; no leading dot.</summary>
    public static string Clean(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (char.IsControl(c)) sb.Append(' ');
            else if (c is '/' or '\\' or ':' or '*' or '?' or '"' or '<' or '>' or '|') sb.Append('_');
            else sb.Append(c);
        }
        return Spaces().Replace(sb.ToString(), " ").Trim().TrimStart('.').TrimEnd('.', ' ');
    }

    /// <summary>At most <paramref name="maxBytes"/> UTF-8 bytes, cut between characters (never inside a surrogate pair).</summary>
    public static string Truncate(string value, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(value) <= maxBytes) return value;
        var bytes = 0;
        var e = StringInfo.GetTextElementEnumerator(value);
        var sb = new StringBuilder();
        while (e.MoveNext())
        {
            var element = e.GetTextElement();
            var n = Encoding.UTF8.GetByteCount(element);
            if (bytes + n > maxBytes) break;
            bytes += n;
            sb.Append(element);
        }
        return sb.ToString();
    }

    /// <summary>The title chosen by <see cref="ExportTitle"/>, falling back to the others; the source title loses its AVID prefix.</summary>
    public static string Title(ResourceDetail d, ExportTitle choice, string displaySetting)
    {
        var translated = d.TranslatedTitle;
        var original = d.OriginalTitle;
        var source = StripAvid(d.SourceTitle, d.Avid);
        var first = choice switch
        {
            ExportTitle.Translated => translated,
            ExportTitle.Original => original,
            ExportTitle.Source => source,
            _ => displaySetting switch
            {
                "translated_title" => translated,
                "original_title" => original,
                _ => source,
            },
        };
        foreach (var t in new[] { first, translated, original, source })
            if (!string.IsNullOrWhiteSpace(t)) return t.Trim();
        return d.Avid;
    }

    private static string? StripAvid(string? title, string avid)
    {
        if (string.IsNullOrWhiteSpace(title)) return title;
        var t = title.Trim();
        if (t.StartsWith("[" + avid + "]", StringComparison.OrdinalIgnoreCase)) t = t[(avid.Length + 2)..];
        else if (t.StartsWith(avid, StringComparison.OrdinalIgnoreCase)) t = t[avid.Length..];
        return t.TrimStart(' ', '-', ':', '：', '　').Trim();
    }
}
