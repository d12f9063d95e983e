using System.Globalization;
using System.Text.RegularExpressions;

namespace NasSav.Scraper.Extraction;

public sealed record PlaylistVariant(long Bandwidth, string? Resolution, string Uri);

/// <summary>HLS playlist reading: is it one, is it a master, and which variant is the best.</summary>
public static partial class Playlist
{
    [GeneratedRegex(@"(?:^|,)BANDWIDTH=(?<bw>\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex Bandwidth();

    [GeneratedRegex(@"(?:^|,)RESOLUTION=(?<res>\d+x\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex Resolution();

    public static bool IsPlaylist(string text) => text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n').StartsWith("#EXTM3U", StringComparison.Ordinal);

    public static bool IsMaster(string text) => text.Contains("#EXT-X-STREAM-INF", StringComparison.Ordinal);

    /// <summary>The variants of a master playlist, their URIs resolved against <paramref name="playlistUri"/> (queries kept).</summary>
    public static IReadOnlyList<PlaylistVariant> Variants(string text, Uri playlistUri)
    {
        var variants = new List<PlaylistVariant>();
        var lines = text.Split('\n').Select(l => l.Trim()).ToList();
        for (var i = 0; i < lines.Count; i++)
        {
            if (!lines[i].StartsWith("#EXT-X-STREAM-INF:", StringComparison.Ordinal)) continue;
            var attributes = lines[i]["#EXT-X-STREAM-INF:".Length..];
            var bw = Bandwidth().Match(attributes);
            var res = Resolution().Match(attributes);
            var j = i + 1;
            while (j < lines.Count && (lines[j].Length == 0 || lines[j].StartsWith('#'))) j++;
            if (j >= lines.Count) break;
            if (!Uri.TryCreate(playlistUri, lines[j], out var uri) || uri.Scheme is not ("http" or "https")) continue;
            var bandwidth = bw.Success && long.TryParse(bw.Groups["bw"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var b) ? b : 0;
            variants.Add(new PlaylistVariant(bandwidth, res.Success ? res.Groups["res"].Value : null, uri.AbsoluteUri));
            i = j;
        }
        return variants;
    }

    /// <summary>The highest-bandwidth variant (the first of equals), or null.</summary>
    public static PlaylistVariant? Best(string text, Uri playlistUri) =>
        Variants(text, playlistUri).OrderByDescending(v => v.Bandwidth).FirstOrDefault();
}
