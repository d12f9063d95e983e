using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NasSav.Downloader.Engine.Playlists;

namespace NasSav.Downloader.Engine;

/// <summary>One file to fetch: a media segment or an fMP4 init section, stored decrypted under <see cref="FileName"/>.</summary>
/// <param name="Number">For messages: "segment 12" or "init section".</param>
public sealed record FetchItem(string FileName, string Number, Uri Uri, ByteRange? Range, SegmentKey? Key, long SequenceNumber, bool IsInit, double Duration);

/// <summary>
/// What a media playlist turns into on disk: the init section (fMP4) first, then every segment in
/// order. The fingerprint identifies the stream (hosts, paths, ranges, durations; not query strings,
/// whose tokens change) so that segments of another stream are never reused on resume.
/// </summary>
public sealed record SegmentPlan(MediaPlaylist Playlist, IReadOnlyList<FetchItem> Items, bool Fragmented, string Fingerprint)
{
    public const string Extension = ".seg";

    public int SegmentCount => Playlist.Segments.Count;

    /// <summary>Known only when every item is a byte range.</summary>
    public long? ExactBytes => Items.All(i => i.Range is not null) ? Items.Sum(i => i.Range!.Value.Length) : null;

    public static SegmentPlan Create(MediaPlaylist playlist)
    {
        if (!playlist.EndList)
            throw new HlsDownloadException($"media playlist {playlist.Url} has no #EXT-X-ENDLIST: live playlists are not supported", kind: HlsFailure.UnsupportedStream);
        if (playlist.Segments.Count == 0)
            throw new HlsDownloadException($"media playlist {playlist.Url} lists no segments", kind: HlsFailure.UnsupportedStream);
        var inits = playlist.Segments.Select(s => s.Init).Distinct().ToList();
        if (inits.Count > 1)
            throw new HlsDownloadException($"media playlist {playlist.Url}: {(inits.Contains(null) ? "segments with and without" : "several different")} #EXT-X-MAP init sections are not supported", kind: HlsFailure.UnsupportedStream);

        var items = new List<FetchItem>();
        var init = inits[0];
        if (init is not null)
            items.Add(new FetchItem("init" + Extension, "init section", init.Uri, init.Range, init.Key, playlist.Segments[0].SequenceNumber, true, 0));
        var digits = Math.Max(5, playlist.Segments.Count.ToString(CultureInfo.InvariantCulture).Length);
        foreach (var s in playlist.Segments)
            items.Add(new FetchItem(s.Index.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0') + Extension,
                $"segment {s.Index}", s.Uri, s.Range, s.Key, s.SequenceNumber, false, s.Duration));
        return new SegmentPlan(playlist, items, init is not null, ComputeFingerprint(items));
    }

    private static string ComputeFingerprint(List<FetchItem> items)
    {
        var text = new StringBuilder();
        foreach (var item in items)
            text.Append(CultureInfo.InvariantCulture, $"{item.FileName} {item.Uri.Authority}{item.Uri.AbsolutePath} {item.Range} {item.Duration:0.###}\n");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
