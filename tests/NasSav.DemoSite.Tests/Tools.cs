using System.Globalization;

namespace NasSav.DemoSite.Tests;

/// <summary>ffmpeg / ffprobe as processes (installed by deploy/local/ensure-tools.sh).</summary>
public static class Tools
{
    public static Task<(int Exit, string Out, string Err)> RunAsync(string file, params string[] args) =>
        NasSav.Testing.ExternalTools.RunAsync(file, args);

    /// <summary>"codec,width,height" of the first video stream of a file or URL.</summary>
    public static async Task<string> ProbeImageAsync(string url)
    {
        var (exit, output, err) = await RunAsync("ffprobe", "-v", "error", "-select_streams", "v:0",
            "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", url);
        Assert.True(exit == 0, $"ffprobe {url} failed: {err}");
        return output;
    }

    /// <summary>Downloads an HLS playlist with <c>ffmpeg -c copy</c> (as the downloader will) and returns the file's duration.</summary>
    public static async Task<double> DownloadDurationAsync(string playlistUrl, string outDir)
    {
        Directory.CreateDirectory(outDir);
        var output = Path.Combine(outDir, Guid.NewGuid().ToString("N") + ".mp4");
        var (exit, _, err) = await RunAsync("ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-y", "-i", playlistUrl, "-c", "copy", output);
        Assert.True(exit == 0, $"ffmpeg could not download {playlistUrl}: {err}");
        var (probeExit, duration, probeErr) = await RunAsync("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", output);
        Assert.True(probeExit == 0, $"ffprobe {output} failed: {probeErr}");
        var (streamsExit, streams, _) = await RunAsync("ffprobe", "-v", "error", "-show_entries", "stream=codec_name", "-of", "csv=p=0", output);
        Assert.Equal(0, streamsExit);
        Assert.Equal(["aac", "h264"], streams.Split('\n').Select(s => s.Trim()).Order().ToArray());
        return double.Parse(duration, CultureInfo.InvariantCulture);
    }
}
