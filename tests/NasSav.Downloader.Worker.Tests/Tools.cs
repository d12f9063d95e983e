using System.Globalization;
using NasSav.Media.Processes;

namespace NasSav.Downloader.Worker.Tests;

internal static class Tools
{
    public static async Task<double> DurationAsync(string file)
    {
        var result = await ProcessRunner.RunCheckedAsync(new ProcessSpec("ffprobe",
            ["-v", "error", "-show_entries", "format=duration", "-of", "default=nw=1:nk=1", file]) { CaptureStdout = true, Timeout = TimeSpan.FromSeconds(30) });
        return double.Parse(result.Stdout.Trim(), CultureInfo.InvariantCulture);
    }
}
