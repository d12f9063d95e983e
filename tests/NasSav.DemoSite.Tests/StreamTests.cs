using System.Text.RegularExpressions;
using NasSav.DemoSite.Catalog;

namespace NasSav.DemoSite.Tests;

/// <summary>The HLS streams are valid and playable: ffmpeg downloads them (with the AES key) to the clip's length.</summary>
[Collection(SiteCollection.Name)]
public sealed class StreamTests(DemoSiteFixture site) : IDisposable
{
    private const double ClipSeconds = DemoSiteFixture.ClipSeconds;
    private readonly string _out = Path.Combine(Path.GetTempPath(), "nassav-demo-stream-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_out)) Directory.Delete(_out, recursive: true);
    }

    [Fact]
    public async Task Plain_stream_downloads_to_the_clip_length()
    {
        Assert.Equal(StreamKind.Plain, site.Title("DEMO-001").Stream);
        var playlist = await site.Http.GetStringAsync("/hls/DEMO-001/playlist.m3u8");
        Assert.StartsWith("#EXTM3U", playlist);
        Assert.Contains("#EXT-X-ENDLIST", playlist);
        Assert.DoesNotContain("#EXT-X-KEY", playlist);
        Assert.Equal(0x47, (await site.Http.GetByteArrayAsync("/hls/DEMO-001/seg0.ts"))[0]);   // MPEG-TS sync byte

        Assert.InRange(await Tools.DownloadDurationAsync($"{site.BaseUrl}/hls/DEMO-001/playlist.m3u8", _out), ClipSeconds - 0.5, ClipSeconds + 0.5);
    }

    [Fact]
    public async Task Aes_stream_is_encrypted_and_downloads_with_its_key()
    {
        Assert.Equal(StreamKind.Aes, site.Title("DEMO-003").Stream);
        var playlist = await site.Http.GetStringAsync("/hls/DEMO-003/playlist.m3u8");
        Assert.Matches("#EXT-X-KEY:METHOD=AES-128,URI=\"key.bin\",IV=0x[0-9a-f]{32}", playlist);
        Assert.Equal(16, (await site.Http.GetByteArrayAsync("/hls/DEMO-003/key.bin")).Length);
        var segment = await site.Http.GetByteArrayAsync("/hls/DEMO-003/seg0.ts");
        Assert.Equal(0, segment.Length % 16);   // AES-128-CBC blocks
        Assert.NotEqual(await site.Http.GetByteArrayAsync("/hls/DEMO-001/seg0.ts"), segment);

        Assert.InRange(await Tools.DownloadDurationAsync($"{site.BaseUrl}/hls/DEMO-003/playlist.m3u8", _out), ClipSeconds - 0.5, ClipSeconds + 0.5);
    }

    [Fact]
    public async Task Master_playlist_lists_variants_with_bandwidth_and_the_highest_plays()
    {
        Assert.Equal(StreamKind.Master, site.Title("DEMO-005").Stream);
        var master = await site.Http.GetStringAsync("/hls/DEMO-005/playlist.m3u8");
        var variants = Regex.Matches(master, @"#EXT-X-STREAM-INF:BANDWIDTH=(\d+),.*?RESOLUTION=(\d+x\d+).*?\n(.*)")
            .Select(m => (Bandwidth: long.Parse(m.Groups[1].Value), Uri: m.Groups[3].Value.Trim())).ToList();
        Assert.Equal(3, variants.Count);
        var highest = variants.MaxBy(v => v.Bandwidth);
        Assert.Equal("1080p/playlist.m3u8", highest.Uri);
        Assert.NotEqual(highest, variants[0]);    // neither first ...
        Assert.NotEqual(highest, variants[^1]);   // ... nor last: picking by position is wrong
        foreach (var v in variants)
            Assert.Contains("#EXTINF", await site.Http.GetStringAsync($"/hls/DEMO-005/{v.Uri}"));

        Assert.InRange(await Tools.DownloadDurationAsync($"{site.BaseUrl}/hls/DEMO-005/{highest.Uri}", _out), ClipSeconds - 0.5, ClipSeconds + 0.5);
    }

    [Fact]
    public async Task MissAV_like_master_resolves_to_the_AVIDs_stream_aes_included()
    {
        var t = site.Title("DEMO-006");
        Assert.Equal(StreamKind.Aes, t.Stream);
        var master = await site.Http.GetStringAsync($"/surrit/{t.Uuid}/playlist.m3u8");
        var highest = Regex.Matches(master, @"BANDWIDTH=(\d+).*\n(.*)").MaxBy(m => long.Parse(m.Groups[1].Value))!.Groups[2].Value.Trim();
        Assert.Equal("1280x720/video.m3u8", highest);
        Assert.Contains("METHOD=AES-128", await site.Http.GetStringAsync($"/surrit/{t.Uuid}/{highest}"));

        Assert.InRange(await Tools.DownloadDurationAsync($"{site.BaseUrl}/surrit/{t.Uuid}/{highest}", _out), ClipSeconds - 0.5, ClipSeconds + 0.5);
    }
}
