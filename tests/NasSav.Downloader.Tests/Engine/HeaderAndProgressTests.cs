using NasSav.Downloader.Engine;
using NasSav.Downloader.Tests.Fixtures;

namespace NasSav.Downloader.Tests.Engine;

public sealed class HeaderAndProgressTests
{
    [Fact]
    public async Task Request_headers_are_sent_on_every_playlist_key_and_segment_request()
    {
        await using var h = await EngineHarness.StartAsync();
        var headers = new Dictionary<string, string>
        {
            ["Referer"] = "https://source.example/v/ABC-123",
            ["Cookie"] = "cf_clearance=abc; session=1",
            ["User-Agent"] = "Mozilla/5.0 NasSavTest",
            ["X-Custom"] = "yes",
        };
        h.Server.Texts["/hdr/playlist.m3u8"] = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n../aes/playlist.m3u8\n";
        await h.DownloadAsync(h.Request("/hdr/playlist.m3u8", headers: headers));
        var requests = h.Server.Requests;
        Assert.Contains(requests, r => r.Path == "/hdr/playlist.m3u8");
        Assert.Contains(requests, r => r.Path == "/aes/key.bin");
        Assert.Contains(requests, r => r.Method == "HEAD");
        Assert.Equal(HlsFixtures.SegmentCount, requests.Count(r => r.Method == "GET" && r.Path.EndsWith(".ts", StringComparison.Ordinal)));
        Assert.All(requests, r =>
        {
            foreach (var (name, value) in headers) Assert.Equal(value, r.Headers.GetValueOrDefault(name));
        });
    }

    [Fact]
    public async Task Progress_goes_from_download_to_merge_with_counts_bytes_and_speed()
    {
        await using var h = await EngineHarness.StartAsync();
        var log = new ProgressLog();
        var result = await h.DownloadAsync(h.Request("/plain/playlist.m3u8"), log);
        var reports = log.Reports;
        var firstMerge = reports.ToList().FindIndex(r => r.Phase == HlsPhase.Merge);
        Assert.True(firstMerge > 0, "a merge report after download reports");
        Assert.All(reports.Take(firstMerge), r => Assert.Equal(HlsPhase.Download, r.Phase));
        Assert.All(reports.Skip(firstMerge), r => Assert.Equal(HlsPhase.Merge, r.Phase));
        var lastDownload = reports[firstMerge - 1];
        Assert.Equal(HlsFixtures.SegmentCount, lastDownload.SegmentsDone);
        Assert.Equal(HlsFixtures.SegmentCount, lastDownload.SegmentsTotal);
        Assert.Equal(100, lastDownload.Percent);
        var segmentBytes = Directory.GetFiles(Path.Combine(h.Fixtures.Root, "plain"), "*.ts").Sum(f => new FileInfo(f).Length);
        Assert.Equal(segmentBytes, lastDownload.BytesDone);
        Assert.Equal(segmentBytes, lastDownload.BytesTotal);
        Assert.True(lastDownload.BytesPerSecond > 0);
        Assert.Equal(TimeSpan.Zero, lastDownload.Eta);
        // Segment counts never go backwards.
        Assert.True(reports.Zip(reports.Skip(1)).All(p => p.Second.SegmentsDone >= p.First.SegmentsDone));
        Assert.True(File.Exists(result.Mp4Path));
    }

    [Fact]
    public async Task Progress_is_throttled_but_the_phase_changes_and_the_end_are_always_reported()
    {
        await using var h = await EngineHarness.StartAsync(new Dictionary<string, string?> { ["Downloader:Engine:ProgressIntervalMs"] = "60000" });
        var log = new ProgressLog();
        await h.DownloadAsync(h.Request("/plain/playlist.m3u8"), log);
        // Forced only: the start, the end of the download, the start and the end of the merge.
        Assert.Equal([HlsPhase.Download, HlsPhase.Download, HlsPhase.Merge, HlsPhase.Merge], log.Reports.Select(r => r.Phase));
        Assert.Equal(0, log.Reports[0].SegmentsDone);
        Assert.Equal(HlsFixtures.SegmentCount, log.Reports[1].SegmentsDone);
    }
}
