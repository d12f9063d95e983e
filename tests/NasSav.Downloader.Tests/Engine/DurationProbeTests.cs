using NasSav.Downloader.Engine.Merging;
using NasSav.Downloader.Tests.Fixtures;
using NasSav.Media.Processes;

namespace NasSav.Downloader.Tests.Engine;

/// <summary>The ffprobe started ahead reads the duration from the MP4's head alone, and declines a file whose index is at the end.</summary>
public sealed class DurationProbeTests
{
    [Fact]
    public async Task A_probe_started_before_the_file_exists_reads_the_duration_from_its_index()
    {
        await using var h = await EngineHarness.StartAsync();
        await using var probe = DurationProbe.Start(new MediaToolOptions(), default);
        var result = await h.DownloadAsync(h.Request("/plain/playlist.m3u8"));
        var early = await probe.DurationAsync(result.Mp4Path);
        Assert.NotNull(early);
        Assert.Equal(await HlsFixtures.ProbeSecondsAsync(result.Mp4Path), early.Value.TotalSeconds, 3);
    }

    [Fact]
    public async Task A_file_with_its_index_at_the_end_is_left_to_a_whole_file_probe()
    {
        await using var h = await EngineHarness.StartAsync();
        var result = await h.DownloadAsync(h.Request("/plain/playlist.m3u8"));
        var tail = Path.Combine(h.Scratch, "moov-at-end.mp4");
        await HlsFixtures.FfmpegAsync("-i", result.Mp4Path, "-c", "copy", tail);
        Assert.True(Mp4Tables.TopLevel(tail).IndexOf("moov") > Mp4Tables.TopLevel(tail).IndexOf("mdat"));
        await using var probe = DurationProbe.Start(new MediaToolOptions(), default);
        Assert.Null(await probe.DurationAsync(tail));
    }
}
