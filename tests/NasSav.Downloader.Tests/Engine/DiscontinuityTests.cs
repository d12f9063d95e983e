using NasSav.Downloader.Tests.Fixtures;

namespace NasSav.Downloader.Tests.Engine;

public sealed class DiscontinuityTests
{
    [Fact]
    public async Task Timestamps_restarting_after_a_discontinuity_are_joined_one_after_the_other()
    {
        await using var h = await EngineHarness.StartAsync();
        // The same two segments twice: at the discontinuity the timestamps jump back to the start.
        h.Server.Texts["/disc/playlist.m3u8"] = """
            #EXTM3U
            #EXT-X-TARGETDURATION:2
            #EXTINF:2.0,
            ../plain/seg0.ts
            #EXTINF:2.0,
            ../plain/seg1.ts
            #EXT-X-DISCONTINUITY
            #EXTINF:2.0,
            ../plain/seg0.ts?again
            #EXTINF:2.0,
            ../plain/seg1.ts?again
            #EXT-X-ENDLIST
            """;
        var result = await h.DownloadAsync(h.Request("/disc/playlist.m3u8"));
        Assert.Equal(4, result.Segments);
        Assert.InRange(await HlsFixtures.ProbeSecondsAsync(result.Mp4Path), 7, 9);
    }
}
