using NasSav.Downloader.Engine;
using NasSav.Downloader.Tests.Fixtures;

namespace NasSav.Downloader.Tests.Engine;

/// <summary>Every stream form ends as a playable MP4 of the clip's duration (ffprobe, within 1 s).</summary>
public sealed class StreamFormatTests
{
    internal static async Task AssertPlayableAsync(HlsDownloadResult result, int segments = HlsFixtures.SegmentCount)
    {
        Assert.True(File.Exists(result.Mp4Path), result.Mp4Path);
        Assert.Equal(new FileInfo(result.Mp4Path).Length, result.Size);
        Assert.Equal(segments, result.Segments);
        var probed = await HlsFixtures.ProbeSecondsAsync(result.Mp4Path);
        Assert.InRange(probed, HlsFixtures.ClipSeconds - 1, HlsFixtures.ClipSeconds + 1);
        Assert.InRange(result.Duration.TotalSeconds, probed - 0.01, probed + 0.01);
        var boxes = Mp4Tables.TopLevel(result.Mp4Path);
        Assert.True(boxes.IndexOf("moov") is >= 0 and var moov && moov < boxes.IndexOf("mdat"), $"faststart: moov before mdat, got {string.Join(',', boxes)}");
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("aes")]
    [InlineData("seqiv")]
    [InlineData("ranges")]
    [InlineData("ranges-continued")]
    [InlineData("fmp4")]
    [InlineData("fmp4-single")]
    public async Task Stream_form_downloads_to_a_playable_mp4_of_the_stream_duration(string form)
    {
        await using var h = await EngineHarness.StartAsync();
        var result = await h.DownloadAsync(h.Request($"/{form}/playlist.m3u8"));
        await AssertPlayableAsync(result);
        Assert.Equal(Path.Combine(h.Staging(), "video.mp4"), result.Mp4Path);
    }

    [Fact]
    public async Task Aes_with_explicit_iv_fetches_the_key_once_with_its_query_and_decrypts()
    {
        await using var h = await EngineHarness.StartAsync();
        var result = await h.DownloadAsync(h.Request("/aes/playlist.m3u8"));
        await AssertPlayableAsync(result);
        var keyRequests = h.Server.Requests.Where(r => r.Path == "/aes/key.bin").ToList();
        Assert.Single(keyRequests);
        Assert.Equal("?k=1", keyRequests[0].Query);
        // Decrypted on the way: each stored segment is the MPEG-TS that was encrypted (sync byte 0x47).
        foreach (var seg in Directory.GetFiles(h.Staging(), "*.seg")) Assert.Equal(0x47, File.ReadAllBytes(seg)[0]);
    }

    [Fact]
    public async Task Aes_with_media_sequence_iv_gives_the_plain_segments_byte_for_byte()
    {
        await using var h = await EngineHarness.StartAsync();
        await h.DownloadAsync(h.Request("/seqiv/playlist.m3u8"));
        for (var i = 0; i < HlsFixtures.SegmentCount; i++)
            Assert.Equal(File.ReadAllBytes(Path.Combine(h.Fixtures.Dir("plain"), $"seg{i}.ts")), File.ReadAllBytes(Path.Combine(h.Staging(), $"{i:00000}.seg")));
    }

    [Fact]
    public async Task Server_ignoring_range_requests_still_gives_each_segment_its_own_bytes()
    {
        await using var h = await EngineHarness.StartAsync();
        h.Server.On("/ranges/playlist.ts").IgnoreRange = true;
        var result = await h.DownloadAsync(h.Request("/ranges/playlist.m3u8"));
        await AssertPlayableAsync(result);
        Assert.Equal(HlsFixtures.SegmentCount, h.Server.Gets("/ranges/playlist.ts"));
        var whole = File.ReadAllBytes(Path.Combine(h.Fixtures.Dir("ranges"), "playlist.ts"));
        var joined = Enumerable.Range(0, HlsFixtures.SegmentCount).SelectMany(i => File.ReadAllBytes(Path.Combine(h.Staging(), $"{i:00000}.seg"))).ToArray();
        Assert.Equal(whole, joined);
    }

    [Fact]
    public async Task Byte_ranges_are_requested_as_ranges_of_the_one_file()
    {
        await using var h = await EngineHarness.StartAsync();
        await h.DownloadAsync(h.Request("/ranges-continued/playlist.m3u8"));
        var gets = h.Server.Requests.Where(r => r.Method == "GET" && r.Path.EndsWith(".ts", StringComparison.Ordinal)).ToList();
        Assert.Equal(HlsFixtures.SegmentCount, gets.Count);
        Assert.All(gets, g => Assert.StartsWith("bytes=", g.Headers["Range"]));
        Assert.Single(gets.Select(g => g.Path).Distinct());
    }
}
