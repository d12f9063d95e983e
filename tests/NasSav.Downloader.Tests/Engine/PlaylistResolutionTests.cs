using NasSav.Downloader.Engine;
using NasSav.Downloader.Tests.Fixtures;

namespace NasSav.Downloader.Tests.Engine;

/// <summary>Master playlists to a variant, and segment URIs (relative, absolute, with query strings) as the server sees them.</summary>
public sealed class PlaylistResolutionTests
{
    private const string Master = """
        #EXTM3U
        #EXT-X-VERSION:3
        #EXT-X-STREAM-INF:BANDWIDTH=1400000,RESOLUTION=1280x720
        v720/playlist.m3u8?sig=720
        #EXT-X-STREAM-INF:BANDWIDTH=2800000,RESOLUTION=1920x1080
        v1080/playlist.m3u8?sig=1080
        #EXT-X-STREAM-INF:BANDWIDTH=600000,RESOLUTION=640x360
        v360/playlist.m3u8?sig=360

        """;

    private static async Task<EngineHarness> WithMasterAsync()
    {
        var h = await EngineHarness.StartAsync();
        h.Server.Texts["/master/playlist.m3u8"] = Master;
        var media = File.ReadAllText(Path.Combine(h.Fixtures.Dir("plain"), "playlist.m3u8"));
        foreach (var v in new[] { "v720", "v1080", "v360" })
            h.Server.Texts[$"/master/{v}/playlist.m3u8"] = media.Replace("seg", $"../../plain/seg", StringComparison.Ordinal);
        return h;
    }

    [Theory]
    [InlineData(null, "v1080", "?sig=1080")]
    [InlineData(720, "v720", "?sig=720")]
    [InlineData(1080, "v1080", "?sig=1080")]
    [InlineData(480, "v360", "?sig=360")]
    [InlineData(100, "v360", "?sig=360")]
    public async Task Master_playlist_picks_the_highest_bandwidth_no_taller_than_max_height(int? maxHeight, string expected, string query)
    {
        await using var h = await WithMasterAsync();
        var result = await h.DownloadAsync(h.Request("/master/playlist.m3u8", maxHeight: maxHeight));
        await StreamFormatTests.AssertPlayableAsync(result);
        var variants = h.Server.Requests.Where(r => r.Path.StartsWith("/master/v", StringComparison.Ordinal)).ToList();
        Assert.Single(variants);
        Assert.Equal($"/master/{expected}/playlist.m3u8", variants[0].Path);
        Assert.Equal(query, variants[0].Query);
    }

    [Fact]
    public async Task Relative_and_absolute_uris_resolve_against_the_playlist_and_keep_their_query()
    {
        await using var h = await EngineHarness.StartAsync();
        h.Server.Texts["/mixed/list/playlist.m3u8"] = $"""
            #EXTM3U
            #EXT-X-TARGETDURATION:2
            #EXTINF:2.0,
            ../../plain/seg0.ts?token=a%20b&x=1
            #EXTINF:2.0,
            {h.Server.Url}/plain/seg1.ts?token=abs
            #EXTINF:2.0,
            /plain/seg2.ts
            #EXTINF:2.0,
            //{new Uri(h.Server.Url).Authority}/plain/seg3.ts?scheme=relative
            #EXTINF:2.0,
            ../../plain/seg4.ts?
            #EXT-X-ENDLIST
            """;
        var result = await h.DownloadAsync(h.Request("/mixed/list/playlist.m3u8?playlist=token"));
        await StreamFormatTests.AssertPlayableAsync(result);
        string Query(int i) => h.Server.Requests.Single(r => r.Method == "GET" && r.Path == $"/plain/seg{i}.ts").Query;
        Assert.Equal("?token=a%20b&x=1", Query(0));
        Assert.Equal("?token=abs", Query(1));
        Assert.Equal("", Query(2));
        Assert.Equal("?scheme=relative", Query(3));
        Assert.Equal("/mixed/list/playlist.m3u8", h.Server.Requests[0].Path);
        Assert.Equal("?playlist=token", h.Server.Requests[0].Query);
    }

    [Fact]
    public async Task Variant_with_separate_audio_renditions_is_refused_clearly()
    {
        await using var h = await EngineHarness.StartAsync();
        h.Server.Texts["/alt/playlist.m3u8"] = """
            #EXTM3U
            #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="en",URI="audio.m3u8"
            #EXT-X-STREAM-INF:BANDWIDTH=1000,AUDIO="aud"
            video.m3u8
            """;
        var ex = await Assert.ThrowsAsync<HlsDownloadException>(() => h.DownloadAsync(h.Request("/alt/playlist.m3u8")));
        Assert.Contains("separate renditions", ex.Message);
    }

    [Fact]
    public async Task Live_playlist_is_refused_clearly()
    {
        await using var h = await EngineHarness.StartAsync();
        h.Server.Texts["/live/playlist.m3u8"] = "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\nseg0.ts\n";
        var ex = await Assert.ThrowsAsync<HlsDownloadException>(() => h.DownloadAsync(h.Request("/live/playlist.m3u8")));
        Assert.Contains("live playlists are not supported", ex.Message);
    }

    [Fact]
    public async Task Missing_playlist_names_its_url_and_status()
    {
        await using var h = await EngineHarness.StartAsync();
        var ex = await Assert.ThrowsAsync<HlsDownloadException>(() => h.DownloadAsync(h.Request("/nothing/playlist.m3u8")));
        Assert.Contains("/nothing/playlist.m3u8", ex.Message);
        Assert.Contains("404", ex.Message);
    }
}
