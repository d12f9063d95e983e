using System.Globalization;
using NasSav.Downloader.Engine;
using NasSav.Downloader.Tests.Fixtures;
using NasSav.Media.Processes;

namespace NasSav.Downloader.Tests.Engine;

/// <summary>
/// The in-process MPEG-TS to MP4 remux against ffmpeg's: the same streams, the same packets (bytes,
/// timestamps, keyframes), the same duration, decodable without a single error; and streams it does
/// not handle still download, through ffmpeg.
/// </summary>
public sealed class NativeRemuxTests
{
    private static async Task<HlsDownloadResult> DownloadAsync(string form, string remuxer)
    {
        var h = await EngineHarness.StartAsync(new Dictionary<string, string?> { ["Downloader:Engine:Remuxer"] = remuxer });
        var result = await h.DownloadAsync(h.Request($"/{form}/playlist.m3u8"));
        var copy = Path.Combine(Directory.CreateTempSubdirectory("nassav-native-remux-").FullName, $"{form}-{remuxer}.mp4");
        File.Copy(result.Mp4Path, copy);
        await h.DisposeAsync();
        return result with { Mp4Path = copy };
    }

    private static async Task<string> ProbeAsync(string file, params string[] args)
    {
        var r = await ProcessRunner.RunCheckedAsync(new ProcessSpec("ffprobe", ["-v", "error", .. args, file]) { CaptureStdout = true });
        return r.Stdout.Trim();
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("aes")]
    [InlineData("seqiv")]
    [InlineData("ranges")]
    [InlineData("video-only")]
    [InlineData("wrap")]
    [InlineData("open-gop")]
    public async Task Native_remux_gives_ffmpegs_packets_streams_and_duration(string form)
    {
        var native = await DownloadAsync(form, "Native");
        var ffmpeg = await DownloadAsync(form, "Ffmpeg");
        Assert.Equal("native", native.Remuxer);
        Assert.Equal("ffmpeg", ffmpeg.Remuxer);
        await StreamFormatTests.AssertPlayableAsync(native);

        string[] streams = ["-show_entries", "stream=index,codec_name,profile,width,height,sample_aspect_ratio,pix_fmt,sample_rate,channels,extradata_size", "-of", "csv"];
        Assert.Equal(await ProbeAsync(ffmpeg.Mp4Path, streams), await ProbeAsync(native.Mp4Path, streams));

        // Every packet: stream, timestamps, size, key flag and the bytes themselves. Per stream: how the
        // two interleave audio with video in the file differs (ours keeps the transport stream's order).
        string[] packets = ["-show_entries", "packet=stream_index,pts_time,dts_time,duration_time,size,flags,data_hash", "-show_data_hash", "MD5", "-of", "csv"];
        static string[] PerStream(string csv) => [.. csv.Split('\n').Select((line, i) => (line, i)).OrderBy(p => p.line.Split(',')[1]).ThenBy(p => p.i).Select(p => p.line)];
        var expected = PerStream(await ProbeAsync(ffmpeg.Mp4Path, packets));
        var actual = PerStream(await ProbeAsync(native.Mp4Path, packets));
        Assert.True(expected.Length > 100, $"only {expected.Length} packets");
        Assert.Equal(expected.Length, actual.Length);
        var differ = Enumerable.Range(0, expected.Length).Where(i => !SamePacket(expected[i], actual[i])).Take(5).Select(i => $"#{i}: ffmpeg {expected[i]} | native {actual[i]}").ToList();
        Assert.True(differ.Count == 0, string.Join('\n', differ));

        // Sync samples (seeking) and the video's timing tables, byte for byte.
        var ours = Mp4Tables.Read(native.Mp4Path);
        var theirs = Mp4Tables.Read(ffmpeg.Mp4Path);
        Assert.Equal(theirs.Count, ours.Count);
        for (var t = 0; t < ours.Count; t++)
        {
            Assert.Equal(theirs[t].GetValueOrDefault("stss"), ours[t].GetValueOrDefault("stss"));
            Assert.Equal(theirs[t]["stsz"], ours[t]["stsz"]);
        }
        Assert.Equal(theirs[0]["stts"], ours[0]["stts"]);
        Assert.Equal(theirs[0].GetValueOrDefault("ctts"), ours[0].GetValueOrDefault("ctts"));

        Assert.InRange(native.Duration.TotalSeconds, ffmpeg.Duration.TotalSeconds - 0.05, ffmpeg.Duration.TotalSeconds + 0.05);
        var errors = await ProcessRunner.RunCheckedAsync(new ProcessSpec("ffmpeg", ["-hide_banner", "-nostdin", "-v", "error", "-i", native.Mp4Path, "-f", "null", "-"]));
        Assert.Equal("", string.Join('\n', errors.StderrTail).Trim());
    }

    /// <summary>
    /// Equal but for timestamps within a millisecond: ffmpeg times each AAC frame from the 90 kHz PES
    /// clock (1023 or 1024 samples apart); ours counts exactly 1024 samples a frame, without drift.
    /// </summary>
    private static bool SamePacket(string expected, string actual)
    {
        var e = expected.Split(',');
        var a = actual.Split(',');
        if (e.Length != a.Length) return false;
        for (var i = 0; i < e.Length; i++)
        {
            if (i is >= 2 and <= 4)
            {
                if (Math.Abs(double.Parse(e[i], CultureInfo.InvariantCulture) - double.Parse(a[i], CultureInfo.InvariantCulture)) > 0.001) return false;
            }
            else if (e[i] != a[i]) return false;
        }
        return true;
    }

    [Theory]
    [InlineData("mpeg2")]
    [InlineData("fmp4")]
    public async Task A_stream_the_native_remux_does_not_handle_is_remuxed_by_ffmpeg(string form)
    {
        var result = await DownloadAsync(form, "Native");
        Assert.Equal("ffmpeg", result.Remuxer);
        await StreamFormatTests.AssertPlayableAsync(result);
    }

    [Fact]
    public async Task A_native_mp4_whose_duration_disagrees_with_the_playlist_is_remuxed_again_by_ffmpeg()
    {
        // The playlist claims 100 s for the 10 s clip: the native result looks wrong, so ffmpeg gets a say.
        var result = await DownloadAsync("overstated", "Native");
        Assert.Equal("ffmpeg", result.Remuxer);
        await StreamFormatTests.AssertPlayableAsync(result);
        var plain = await DownloadAsync("plain", "Native");
        Assert.Equal("native", plain.Remuxer);
    }

    [Fact]
    public async Task The_native_remux_carries_the_transport_streams_audio_video_offset()
    {
        var native = await DownloadAsync("plain", "Native");
        string[] starts = ["-show_entries", "stream=index,start_time", "-of", "csv"];
        var ffmpeg = await DownloadAsync("plain", "Ffmpeg");
        Assert.Equal(await ProbeAsync(ffmpeg.Mp4Path, starts), await ProbeAsync(native.Mp4Path, starts));
        Assert.Contains(",", (await ProbeAsync(native.Mp4Path, starts)).Split('\n')[0], StringComparison.Ordinal);
        _ = double.Parse((await ProbeAsync(native.Mp4Path, "-show_entries", "format=duration", "-of", "csv=p=0")), CultureInfo.InvariantCulture);
    }
}
