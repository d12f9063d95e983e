namespace NasSav.DemoSite.Tests;

/// <summary>Covers and avatars are real JPEGs (ffprobe), one per AVID / actor, made at startup.</summary>
[Collection(SiteCollection.Name)]
public sealed class MediaTests(DemoSiteFixture site)
{
    [Theory]
    [InlineData("/pics/cover/demo-001_b.jpg", "mjpeg,800,538")]
    [InlineData("/pics/cover/demo-fb-403_b.jpg", "mjpeg,800,538")]
    [InlineData("/contents/videos_screenshots/demo-001/preview.jpg", "mjpeg,800,450")]
    [InlineData("/fourhoi/demo-002/cover-n.jpg", "mjpeg,800,450")]
    [InlineData("/pics/actress/dm01_a.jpg", "mjpeg,128,128")]
    [InlineData("/pics/actress/dm09_a.jpg", "mjpeg,128,128")]
    [InlineData("/mono/actjpgs/nowprinting.gif", "gif,128,128")]
    public async Task Images_are_valid(string path, string expected)
    {
        using var response = await site.Http.GetAsync(path);
        response.EnsureSuccessStatusCode();
        Assert.Equal(expected.StartsWith("gif") ? "image/gif" : "image/jpeg", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(expected, await Tools.ProbeImageAsync(site.BaseUrl + path));
    }

    [Fact]
    public async Task Every_cover_and_avatar_the_pages_name_is_served()
    {
        foreach (var t in site.Catalog.Titles)
        {
            Assert.True(File.Exists(Path.Combine(site.CacheDir, "covers", "bus", t.Avid + ".jpg")), t.Avid);
            Assert.True(File.Exists(Path.Combine(site.CacheDir, "covers", "source", t.Avid + ".jpg")), t.Avid);
        }
        foreach (var a in site.Catalog.Actors)
        {
            using var response = await site.Http.GetAsync(a.AvatarPath);
            Assert.True(response.IsSuccessStatusCode, a.AvatarPath);
        }
    }

    [Fact]
    public async Task Covers_differ_between_AVIDs_and_between_metadata_site_and_source()
    {
        var bus1 = await site.Http.GetByteArrayAsync("/pics/cover/demo-001_b.jpg");
        var bus2 = await site.Http.GetByteArrayAsync("/pics/cover/demo-002_b.jpg");
        var source1 = await site.Http.GetByteArrayAsync("/contents/videos_screenshots/demo-001/preview.jpg");
        Assert.Equal([0xFF, 0xD8], bus1[..2]);
        Assert.NotEqual(bus1, bus2);
        Assert.NotEqual(bus1, source1);
    }

    [Fact]
    public async Task A_second_start_on_the_same_cache_generates_nothing_and_segment_delay_applies()
    {
        var before = Directory.GetFiles(site.CacheDir, "*", SearchOption.AllDirectories)
            .ToDictionary(f => f, File.GetLastWriteTimeUtc);
        var app = await DemoSiteApp.StartAsync(["--urls", "http://127.0.0.1:0", "--Demo:Count=12", $"--Demo:CacheDir={site.CacheDir}", "--Demo:SegmentDelayMs=300", $"--Demo:ClipSeconds={DemoSiteFixture.ClipSeconds}"]);
        using (var http = new HttpClient())
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var segment = await http.GetByteArrayAsync(app.Urls.Single().TrimEnd('/') + "/hls/DEMO-001/seg0.ts");
            Assert.True(sw.ElapsedMilliseconds >= 275, $"segment after {sw.ElapsedMilliseconds} ms");
            Assert.Equal(await site.Http.GetByteArrayAsync("/hls/DEMO-001/seg0.ts"), segment);
        }
        await app.StopAsync();
        await app.DisposeAsync();
        var after = Directory.GetFiles(site.CacheDir, "*", SearchOption.AllDirectories)
            .ToDictionary(f => f, File.GetLastWriteTimeUtc);
        Assert.Equal(before, after);
    }
}
