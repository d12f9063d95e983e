using System.Text.RegularExpressions;
using NasSav.Media.Avids;

namespace NasSav.Maintenance.Import;

/// <summary>Finds an AVID in a file name ("[site] abc-123 1080p.mp4" → ABC-123): letters, a hyphen, digits, not inside a longer token.</summary>
public static partial class AvidInFileName
{
    [GeneratedRegex(@"(?<![A-Za-z0-9])([A-Za-z]{2,10}-\d{2,6})(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex Candidate();

    public static bool TryFind(string fileName, out Avid avid)
    {
        avid = default;
        var stem = System.IO.Path.GetFileNameWithoutExtension(fileName);
        foreach (Match m in Candidate().Matches(stem))
            if (Avid.TryParse(m.Groups[1].Value, out avid, out _)) return true;
        return false;
    }
}
