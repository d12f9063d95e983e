using NasSav.Downloader.Engine;
using NasSav.Downloader.Engine.Fetching;
using NasSav.Downloader.Engine.Playlists;

namespace NasSav.Downloader.Tests.Playlists;

public sealed class PlaylistParserTests
{
    private static readonly Uri Base = new("https://cdn.example/path/to/playlist.m3u8?token=t");

    private static MediaPlaylist Media(string body) => Assert.IsType<MediaPlaylist>(PlaylistParser.Parse("#EXTM3U\n" + body + "\n#EXT-X-ENDLIST\n", Base));

    [Fact]
    public void Extinf_gives_durations_and_ignores_titles()
    {
        var p = Media("#EXTINF:2.002,title, with comma\na.ts\n#EXTINF:3,\nb.ts");
        Assert.Equal([2.002, 3.0], p.Segments.Select(s => s.Duration));
        Assert.Equal(5.002, p.Duration, 6);
        Assert.True(p.EndList);
    }

    [Fact]
    public void Crlf_blank_lines_and_unknown_tags_are_tolerated()
    {
        var p = PlaylistParser.Parse("#EXTM3U\r\n#EXT-X-VERSION:3\r\n\r\n#EXT-X-UNKNOWN:1\r\n#EXTINF:2,\r\na.ts\r\n#EXT-X-ENDLIST\r\n", Base);
        Assert.Single(((MediaPlaylist)p).Segments);
    }

    [Fact]
    public void Text_without_extm3u_is_refused()
    {
        var ex = Assert.Throws<HlsDownloadException>(() => PlaylistParser.Parse("<html>403</html>", Base));
        Assert.Contains("not an HLS playlist", ex.Message);
    }

    [Fact]
    public void Bad_extinf_is_refused()
    {
        Assert.Contains("#EXTINF", Assert.Throws<HlsDownloadException>(() => Media("#EXTINF:abc,\na.ts")).Message);
    }

    [Fact]
    public void Media_sequence_numbers_the_segments()
    {
        var p = Media("#EXT-X-MEDIA-SEQUENCE:41\n#EXTINF:1,\na.ts\n#EXTINF:1,\nb.ts");
        Assert.Equal(41, p.MediaSequence);
        Assert.Equal([41L, 42L], p.Segments.Select(s => s.SequenceNumber));
        Assert.Equal([0, 1], p.Segments.Select(s => s.Index));
    }

    [Fact]
    public void Byterange_with_offset_and_continuing_without_offset()
    {
        var p = Media("#EXTINF:1,\n#EXT-X-BYTERANGE:100@50\nall.ts\n#EXTINF:1,\n#EXT-X-BYTERANGE:200\nall.ts\n#EXTINF:1,\n#EXT-X-BYTERANGE:30\nall.ts\n#EXTINF:1,\n#EXT-X-BYTERANGE:10\nother.ts");
        Assert.Equal(new ByteRange(50, 100), p.Segments[0].Range);
        Assert.Equal(new ByteRange(150, 200), p.Segments[1].Range);
        Assert.Equal(new ByteRange(350, 30), p.Segments[2].Range);
        Assert.Equal(new ByteRange(0, 10), p.Segments[3].Range);
        Assert.Equal("bytes=50-149", p.Segments[0].Range!.Value.ToHeaderValue());
    }

    [Fact]
    public void Byterange_applies_to_the_next_segment_only()
    {
        var p = Media("#EXTINF:1,\n#EXT-X-BYTERANGE:100@0\na.ts\n#EXTINF:1,\nb.ts");
        Assert.NotNull(p.Segments[0].Range);
        Assert.Null(p.Segments[1].Range);
    }

    [Fact]
    public void Key_aes128_with_explicit_iv_then_method_none_resets()
    {
        var p = Media("#EXT-X-KEY:METHOD=AES-128,URI=\"key.bin?x=1\",IV=0x000102030405060708090A0B0C0D0E0F\n#EXTINF:1,\na.ts\n#EXTINF:1,\nb.ts\n#EXT-X-KEY:METHOD=NONE\n#EXTINF:1,\nc.ts");
        var key = p.Segments[0].Key!;
        Assert.Equal(new Uri("https://cdn.example/path/to/key.bin?x=1"), key.Uri);
        Assert.Equal(Convert.FromHexString("000102030405060708090A0B0C0D0E0F"), key.Iv);
        Assert.Same(key, p.Segments[1].Key);
        Assert.Null(p.Segments[2].Key);
    }

    [Fact]
    public void Key_without_iv_uses_the_media_sequence_number_big_endian()
    {
        var p = Media("#EXT-X-MEDIA-SEQUENCE:258\n#EXT-X-KEY:METHOD=AES-128,URI=\"/k\"\n#EXTINF:1,\na.ts");
        Assert.Null(p.Segments[0].Key!.Iv);
        Assert.Equal(new Uri("https://cdn.example/k"), p.Segments[0].Key!.Uri);
        Assert.Equal(Convert.FromHexString("00000000000000000000000000000102"), Aes128.SequenceIv(p.Segments[0].SequenceNumber));
    }

    [Fact]
    public void Short_iv_is_left_padded()
    {
        var p = Media("#EXT-X-KEY:METHOD=AES-128,URI=\"k\",IV=0x1\n#EXTINF:1,\na.ts");
        Assert.Equal(Convert.FromHexString("00000000000000000000000000000001"), p.Segments[0].Key!.Iv);
    }

    [Theory]
    [InlineData("#EXT-X-KEY:METHOD=SAMPLE-AES,URI=\"k\"", "METHOD=SAMPLE-AES is not supported")]
    [InlineData("#EXT-X-KEY:METHOD=AES-128,URI=\"k\",KEYFORMAT=\"com.apple.streamingkeydelivery\"", "KEYFORMAT")]
    [InlineData("#EXT-X-KEY:METHOD=AES-128", "without a URI")]
    [InlineData("#EXT-X-KEY:METHOD=AES-128,URI=\"k\",IV=0xZZ", "bad IV")]
    [InlineData("#EXT-X-BYTERANGE:abc", "bad byte range")]
    [InlineData("#EXT-X-MAP:BYTERANGE=\"10@0\"", "#EXT-X-MAP without a URI")]
    public void Unsupported_or_malformed_tags_fail_with_a_clear_message(string tag, string expected)
    {
        var ex = Assert.Throws<HlsDownloadException>(() => Media(tag + "\n#EXTINF:1,\na.ts"));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Map_init_section_with_and_without_byterange()
    {
        var p = Media("#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:1,\na.m4s\n#EXT-X-MAP:URI=\"single.mp4\",BYTERANGE=\"720@0\"\n#EXTINF:1,\nb.m4s\n#EXT-X-MAP:URI=\"single.mp4\",BYTERANGE=\"720\"\n#EXTINF:1,\nc.m4s");
        Assert.Equal(new InitSection(new Uri("https://cdn.example/path/to/init.mp4"), null, null), p.Segments[0].Init);
        Assert.Equal(new ByteRange(0, 720), p.Segments[1].Init!.Range);
        Assert.Equal(new ByteRange(0, 720), p.Segments[2].Init!.Range);
    }

    [Fact]
    public void Discontinuity_marks_the_next_segment_only()
    {
        var p = Media("#EXTINF:1,\na.ts\n#EXT-X-DISCONTINUITY\n#EXTINF:1,\nb.ts\n#EXTINF:1,\nc.ts");
        Assert.Equal([false, true, false], p.Segments.Select(s => s.Discontinuity));
    }

    [Fact]
    public void Uris_resolve_against_the_playlist_and_keep_their_own_query()
    {
        var p = Media("#EXTINF:1,\nseg.ts?a=1&b=2\n#EXTINF:1,\n../up.ts\n#EXTINF:1,\n/root.ts\n#EXTINF:1,\nhttp://other.example/x.ts?sig=abc\n#EXTINF:1,\n//cdn2.example/y.ts");
        Assert.Equal(
            ["https://cdn.example/path/to/seg.ts?a=1&b=2", "https://cdn.example/path/up.ts", "https://cdn.example/root.ts",
             "http://other.example/x.ts?sig=abc", "https://cdn2.example/y.ts"],
            p.Segments.Select(s => s.Uri.AbsoluteUri));
    }

    [Fact]
    public void Non_http_uri_is_refused()
    {
        Assert.Contains("cannot resolve", Assert.Throws<HlsDownloadException>(() => Media("#EXTINF:1,\nfile:///etc/passwd")).Message);
    }

    [Fact]
    public void Playlist_without_endlist_is_parsed_as_live_and_refused_by_the_plan()
    {
        var p = Assert.IsType<MediaPlaylist>(PlaylistParser.Parse("#EXTM3U\n#EXTINF:1,\na.ts\n", Base));
        Assert.False(p.EndList);
        Assert.Contains("live playlists are not supported", Assert.Throws<HlsDownloadException>(() => SegmentPlan.Create(p)).Message);
    }

    [Fact]
    public void Master_playlist_lists_variants_with_bandwidth_resolution_and_audio_groups()
    {
        var p = Assert.IsType<MasterPlaylist>(PlaylistParser.Parse("""
            #EXTM3U
            #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="a1",NAME="English",URI="audio/en.m3u8"
            #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="a2",NAME="Muxed"
            #EXT-X-STREAM-INF:BANDWIDTH=1280000,RESOLUTION=1280x720,CODECS="avc1.4d401f,mp4a.40.2",AUDIO="a2"
            720/index.m3u8?sig=1
            #EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=90000,URI="iframes.m3u8"
            #EXT-X-STREAM-INF:BANDWIDTH=640000
            https://other.example/low.m3u8
            """, Base));
        Assert.Equal(2, p.Variants.Count);
        Assert.Equal(new Variant(new Uri("https://cdn.example/path/to/720/index.m3u8?sig=1"), 1280000, 1280, 720, "a2"), p.Variants[0]);
        Assert.Equal(new Variant(new Uri("https://other.example/low.m3u8"), 640000, null, null, null), p.Variants[1]);
        Assert.Equal(["a1"], p.AudioGroupsWithUri);
    }

    [Fact]
    public void Attribute_list_handles_quoted_commas()
    {
        var a = AttributeList.Parse("BANDWIDTH=1,CODECS=\"avc1.4d401f,mp4a.40.2\",RESOLUTION=1x2");
        Assert.Equal("avc1.4d401f,mp4a.40.2", a["CODECS"]);
        Assert.Equal("1x2", a["RESOLUTION"]);
    }
}
