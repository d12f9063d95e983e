namespace NasSav.Downloader.Engine.Playlists;

/// <summary>A part of a resource: <c>length</c> bytes starting at <c>offset</c>.</summary>
public readonly record struct ByteRange(long Offset, long Length)
{
    public long End => Offset + Length;
    public string ToHeaderValue() => $"bytes={Offset}-{End - 1}";
}

/// <summary>EXT-X-KEY METHOD=AES-128: the key's URI and the IV (null = derived from the media sequence number).</summary>
public sealed record SegmentKey(Uri Uri, byte[]? Iv);

/// <summary>EXT-X-MAP: the initialisation section (fMP4) preceding the segments that follow it.</summary>
/// <param name="Key">The EXT-X-KEY in effect where the EXT-X-MAP tag stands (RFC 8216 4.3.2.5).</param>
public sealed record InitSection(Uri Uri, ByteRange? Range, SegmentKey? Key);

/// <param name="Index">Position in the playlist (0-based): names the segment's file, so it is stable across attempts.</param>
/// <param name="SequenceNumber">EXT-X-MEDIA-SEQUENCE + index: the AES IV when the key has none.</param>
public sealed record MediaSegment(
    int Index,
    long SequenceNumber,
    Uri Uri,
    double Duration,
    ByteRange? Range,
    SegmentKey? Key,
    InitSection? Init,
    bool Discontinuity);

public abstract record Playlist(Uri Url);

public sealed record MediaPlaylist(Uri Url, long MediaSequence, bool EndList, IReadOnlyList<MediaSegment> Segments) : Playlist(Url)
{
    public double Duration => Segments.Sum(s => s.Duration);
}

/// <param name="AudioGroup">AUDIO group id when the variant takes its sound from separate renditions.</param>
public sealed record Variant(Uri Uri, long Bandwidth, int? Width, int? Height, string? AudioGroup);

/// <param name="AudioGroupsWithUri">Groups of EXT-X-MEDIA TYPE=AUDIO renditions served as separate playlists.</param>
public sealed record MasterPlaylist(Uri Url, IReadOnlyList<Variant> Variants, IReadOnlySet<string> AudioGroupsWithUri) : Playlist(Url);
