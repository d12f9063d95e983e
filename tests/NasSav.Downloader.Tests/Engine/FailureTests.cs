using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using NasSav.Downloader.Engine;
using NasSav.Downloader.Tests.Fixtures;
using NasSav.Testing;

namespace NasSav.Downloader.Tests.Engine;

/// <summary>Retries, fail-closed, the stall watchdog, cancellation and the free-space check.</summary>
public sealed class FailureTests
{
    [Fact]
    public async Task Segment_failing_twice_then_succeeding_is_retried_and_the_download_completes()
    {
        await using var h = await EngineHarness.StartAsync();
        using var metrics = new MeterRecorder(h.Services.GetRequiredService<IMeterFactory>());
        h.Server.On("/plain/seg2.ts").FailTimes = 2;
        var result = await h.DownloadAsync(h.Request("/plain/playlist.m3u8"));
        await StreamFormatTests.AssertPlayableAsync(result);
        Assert.Equal(3, h.Server.Gets("/plain/seg2.ts"));
        Assert.Equal(1, h.Server.Gets("/plain/seg1.ts"));

        // The instruments saw the same: two retries, every segment fetched once, at least every segment byte received.
        Assert.Equal(2, metrics.Sum("nassav.download.retries"));
        Assert.Equal(result.Segments, metrics.Sum("nassav.download.segments", ("how", "fetched")));
        var segmentBytes = Directory.GetFiles(Path.Combine(h.Fixtures.Root, "plain"), "*.ts").Sum(f => new FileInfo(f).Length);
        Assert.True(metrics.Sum("nassav.download.bytes") >= segmentBytes, $"{metrics.Sum("nassav.download.bytes")} bytes counted, {segmentBytes} on disk");
    }

    [Fact]
    public async Task Segment_that_never_succeeds_fails_closed_naming_index_url_and_error_and_leaves_no_mp4()
    {
        await using var h = await EngineHarness.StartAsync();
        h.Server.On("/plain/seg3.ts").AlwaysStatus = 404;
        var ex = await Assert.ThrowsAsync<HlsDownloadException>(() => h.DownloadAsync(h.Request("/plain/playlist.m3u8")));
        Assert.Contains("segment 3", ex.Message);
        Assert.Contains(h.Server.Url + "/plain/seg3.ts", ex.Message);
        Assert.Contains("404", ex.Message);
        Assert.Contains("4 attempt(s)", ex.Message);
        Assert.Equal(4, h.Server.Gets("/plain/seg3.ts"));
        Assert.Empty(Directory.GetFiles(h.Staging(), "*.mp4"));
        Assert.Empty(Directory.GetFiles(h.Staging(), "*.part"));
    }

    [Fact]
    public async Task Stalled_segment_is_cancelled_by_the_watchdog_and_retried()
    {
        await using var h = await EngineHarness.StartAsync(new Dictionary<string, string?> { ["Downloader:Engine:StallTimeoutMs"] = EngineHarness.StallTimeoutMs });
        h.Server.On("/plain/seg1.ts").StallTimes = 1;
        var result = await h.DownloadAsync(h.Request("/plain/playlist.m3u8"));
        await StreamFormatTests.AssertPlayableAsync(result);
        Assert.Equal(2, h.Server.Gets("/plain/seg1.ts"));
        await Wait.UntilAsync(() => h.Server.Aborted >= 1, EngineHarness.Patience, "the stalled response to be abandoned by the client");
    }

    [Fact]
    public async Task Segment_stalling_on_every_attempt_fails_closed_as_stalled()
    {
        await using var h = await EngineHarness.StartAsync(new Dictionary<string, string?> { ["Downloader:Engine:StallTimeoutMs"] = EngineHarness.StallTimeoutMs, ["Downloader:Engine:Attempts"] = "2" });
        h.Server.On("/plain/seg0.ts").Hang = true;
        var ex = await Assert.ThrowsAsync<HlsDownloadException>(() => h.DownloadAsync(h.Request("/plain/playlist.m3u8")));
        Assert.Contains("segment 0", ex.Message);
        Assert.Contains("stalled", ex.Message);
    }

    [Fact]
    public async Task Cancel_stops_in_flight_reads()
    {
        // The segment hangs for good and the watchdog would wait ten minutes: only the cancel can end the download.
        // How fast it does (the one-second requirement) is measured by tools/NasSav.Bench `cancel`, not here.
        await using var h = await EngineHarness.StartAsync(new Dictionary<string, string?> { ["Downloader:Engine:StallTimeoutMs"] = "600000" });
        h.Server.On("/plain/seg2.ts").Hang = true;
        using var cts = new CancellationTokenSource();
        var download = h.DownloadAsync(h.Request("/plain/playlist.m3u8"), ct: cts.Token);
        await Wait.UntilAsync(() => h.Server.Gets("/plain/seg2.ts") == 1, EngineHarness.Patience, "the hanging segment to be requested");

        await cts.CancelAsync();
        await Wait.UntilAsync(() => download.IsCompleted, EngineHarness.Patience, "the download to stop after cancel");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => download);
        await Wait.UntilAsync(() => h.Server.Aborted == 1, EngineHarness.Patience, "the hanging request to be closed by the client");
        Assert.Empty(Directory.GetFiles(h.Staging(), "*.mp4"));
    }

    [Fact]
    public async Task Not_enough_free_space_is_refused_before_any_segment_is_fetched()
    {
        await using var h = await EngineHarness.StartAsync(new Dictionary<string, string?> { ["Downloader:Engine:ReserveFreeMegabytes"] = "1000000000" });
        var ex = await Assert.ThrowsAsync<HlsDownloadException>(() => h.DownloadAsync(h.Request("/plain/playlist.m3u8")));
        Assert.Contains("not enough free space", ex.Message);
        Assert.Contains("Downloader:Engine:ReserveFreeMegabytes", ex.Message);
        Assert.DoesNotContain(h.Server.Requests, r => r.Method == "GET" && r.Path.EndsWith(".ts", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Header_that_cannot_go_on_a_request_is_refused_before_any_request()
    {
        await using var h = await EngineHarness.StartAsync();
        var ex = await Assert.ThrowsAsync<HlsDownloadException>(() => h.DownloadAsync(h.Request("/plain/playlist.m3u8",
            headers: new Dictionary<string, string> { ["Content-Type"] = "text/plain" })));
        Assert.Contains("Content-Type", ex.Message);
        Assert.Empty(h.Server.Requests);
    }

    [Fact]
    public async Task Wrong_key_fails_closed_instead_of_writing_garbage()
    {
        await using var h = await EngineHarness.StartAsync(new Dictionary<string, string?> { ["Downloader:Engine:Attempts"] = "1" });
        h.Server.Texts["/aes/key.bin"] = "0123456789abcdef";   // 16 bytes, not the key
        var ex = await Assert.ThrowsAsync<HlsDownloadException>(() => h.DownloadAsync(h.Request("/aes/playlist.m3u8")));
        Assert.Contains("segment", ex.Message);
        Assert.Empty(Directory.GetFiles(h.Staging(), "*.mp4"));
    }
}
