using System.Globalization;

namespace NasSav.Downloader.Engine.Playlists;

/// <summary>
/// Parses an M3U8 text (RFC 8216) into a master or a media playlist. URIs are resolved against the
/// playlist's own URL (RFC 3986: a relative URI keeps its own query string). Features we cannot
/// download correctly (SAMPLE-AES, DRM key formats) fail here with a message naming them.
/// </summary>
public static class PlaylistParser
{
    public static Playlist Parse(string text, Uri url)
    {
        var lines = text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n')
            .Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        if (lines.Count == 0 || !lines[0].StartsWith("#EXTM3U", StringComparison.Ordinal))
            throw new HlsDownloadException($"{url} is not an HLS playlist (it does not start with #EXTM3U)", kind: HlsFailure.UnsupportedStream);
        return lines.Any(l => l.StartsWith("#EXT-X-STREAM-INF:", StringComparison.Ordinal))
            ? ParseMaster(lines, url)
            : ParseMedia(lines, url);
    }

    private static MasterPlaylist ParseMaster(List<string> lines, Uri url)
    {
        var variants = new List<Variant>();
        var audioWithUri = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.StartsWith("#EXT-X-MEDIA:", StringComparison.Ordinal))
            {
                var a = AttributeList.Parse(line["#EXT-X-MEDIA:".Length..]);
                if (a.GetValueOrDefault("TYPE") == "AUDIO" && a.ContainsKey("URI") && a.TryGetValue("GROUP-ID", out var group))
                    audioWithUri.Add(group);
            }
            else if (line.StartsWith("#EXT-X-STREAM-INF:", StringComparison.Ordinal))
            {
                var a = AttributeList.Parse(line["#EXT-X-STREAM-INF:".Length..]);
                var uriLine = lines.Skip(i + 1).FirstOrDefault(l => !l.StartsWith('#'))
                    ?? throw new HlsDownloadException($"master playlist {url}: #EXT-X-STREAM-INF without a URI line after it", kind: HlsFailure.UnsupportedStream);
                long.TryParse(a.GetValueOrDefault("BANDWIDTH"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var bandwidth);
                var (width, height) = ParseResolution(a.GetValueOrDefault("RESOLUTION"));
                variants.Add(new Variant(Resolve(url, uriLine), bandwidth, width, height, a.GetValueOrDefault("AUDIO")));
            }
        }
        return new MasterPlaylist(url, variants, audioWithUri);
    }

    private static (int?, int?) ParseResolution(string? value)
    {
        var parts = value?.Split('x', 'X');
        if (parts is { Length: 2 }
            && int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var w)
            && int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var h))
            return (w, h);
        return (null, null);
    }

    private static MediaPlaylist ParseMedia(List<string> lines, Uri url)
    {
        var segments = new List<MediaSegment>();
        long mediaSequence = 0;
        var endList = false;
        SegmentKey? key = null;
        InitSection? init = null;
        double? duration = null;
        (long Length, long? Offset)? range = null;
        var discontinuity = false;
        MediaSegment? previous = null;

        foreach (var line in lines.Skip(1))
        {
            if (!line.StartsWith('#'))
            {
                var uri = Resolve(url, line);
                ByteRange? segmentRange = null;
                if (range is var (length, offset))
                {
                    // Without an offset a sub-range continues right after the previous segment's one of the same resource.
                    var start = offset ?? (previous is { Range: { } p } && previous.Uri == uri ? p.End : 0);
                    segmentRange = new ByteRange(start, length);
                }
                var index = segments.Count;
                previous = new MediaSegment(index, mediaSequence + index, uri, duration ?? 0, segmentRange, key, init, discontinuity);
                segments.Add(previous);
                duration = null;
                range = null;
                discontinuity = false;
                continue;
            }

            var (tag, value) = SplitTag(line);
            switch (tag)
            {
                case "#EXTINF":
                    var comma = value.IndexOf(',');
                    var number = comma < 0 ? value : value[..comma];
                    if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || d < 0)
                        throw new HlsDownloadException($"media playlist {url}: bad #EXTINF duration '{number}'", kind: HlsFailure.UnsupportedStream);
                    duration = d;
                    break;
                case "#EXT-X-BYTERANGE":
                    range = ParseRange(value, url);
                    break;
                case "#EXT-X-MEDIA-SEQUENCE":
                    if (!long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out mediaSequence) || mediaSequence < 0)
                        throw new HlsDownloadException($"media playlist {url}: bad #EXT-X-MEDIA-SEQUENCE '{value}'", kind: HlsFailure.UnsupportedStream);
                    break;
                case "#EXT-X-ENDLIST":
                    endList = true;
                    break;
                case "#EXT-X-DISCONTINUITY":
                    discontinuity = true;
                    break;
                case "#EXT-X-KEY":
                    key = ParseKey(value, url);
                    break;
                case "#EXT-X-MAP":
                    var a = AttributeList.Parse(value);
                    if (!a.TryGetValue("URI", out var mapUri))
                        throw new HlsDownloadException($"media playlist {url}: #EXT-X-MAP without a URI", kind: HlsFailure.UnsupportedStream);
                    ByteRange? mapRange = null;
                    if (a.TryGetValue("BYTERANGE", out var br) && ParseRange(br, url) is var (mapLength, mapOffset))
                        mapRange = new ByteRange(mapOffset ?? 0, mapLength);
                    init = new InitSection(Resolve(url, mapUri), mapRange, key);
                    break;
            }
        }
        return new MediaPlaylist(url, mediaSequence, endList, segments);
    }

    private static (string Tag, string Value) SplitTag(string line)
    {
        var colon = line.IndexOf(':');
        return colon < 0 ? (line, "") : (line[..colon], line[(colon + 1)..]);
    }

    private static (long Length, long? Offset) ParseRange(string value, Uri url)
    {
        var parts = value.Split('@');
        if (parts.Length > 2
            || !long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var length) || length <= 0)
            throw new HlsDownloadException($"media playlist {url}: bad byte range '{value}'", kind: HlsFailure.UnsupportedStream);
        if (parts.Length == 1) return (length, null);
        if (!long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var offset) || offset < 0)
            throw new HlsDownloadException($"media playlist {url}: bad byte range offset in '{value}'", kind: HlsFailure.UnsupportedStream);
        return (length, offset);
    }

    private static SegmentKey? ParseKey(string value, Uri url)
    {
        var a = AttributeList.Parse(value);
        var method = a.GetValueOrDefault("METHOD") ?? throw new HlsDownloadException($"media playlist {url}: #EXT-X-KEY without METHOD", kind: HlsFailure.UnsupportedStream);
        if (method == "NONE") return null;
        if (method != "AES-128")
            throw new HlsDownloadException($"media playlist {url}: encryption METHOD={method} is not supported (only AES-128 and NONE)", kind: HlsFailure.UnsupportedStream);
        if (a.TryGetValue("KEYFORMAT", out var format) && format != "identity")
            throw new HlsDownloadException($"media playlist {url}: KEYFORMAT=\"{format}\" (DRM) is not supported", kind: HlsFailure.UnsupportedStream);
        if (!a.TryGetValue("URI", out var keyUri) || keyUri.Length == 0)
            throw new HlsDownloadException($"media playlist {url}: #EXT-X-KEY METHOD=AES-128 without a URI", kind: HlsFailure.UnsupportedStream);
        return new SegmentKey(Resolve(url, keyUri), a.TryGetValue("IV", out var iv) ? ParseIv(iv, url) : null);
    }

    private static byte[] ParseIv(string text, Uri url)
    {
        var hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        if (hex.Length is 0 or > 32 || !hex.All(char.IsAsciiHexDigit))
            throw new HlsDownloadException($"media playlist {url}: bad IV '{text}' (expected 0x and up to 32 hex digits)", kind: HlsFailure.UnsupportedStream);
        return Convert.FromHexString(hex.PadLeft(32, '0'));
    }

    private static Uri Resolve(Uri playlist, string reference)
    {
        if (Uri.TryCreate(playlist, reference, out var uri) && uri.Scheme is "http" or "https") return uri;
        throw new HlsDownloadException($"playlist {playlist}: cannot resolve URI '{reference}' to an http(s) URL", kind: HlsFailure.UnsupportedStream);
    }
}
