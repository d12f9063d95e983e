using System.Globalization;
using System.Net;
using System.Text.Json;
using NasSav.Media.Processes;

namespace NasSav.Catalog.Tests.Covers;

/// <summary>Real images made with ffmpeg, probed with ffprobe, and envelope reading for media tests.</summary>
internal static class TestMedia
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(60);

    /// <summary>A solid-colour image; the format follows the extension (.jpg, .png, .webp).</summary>
    public static async Task<string> MakeImageAsync(string path, int width, int height, string color = "red")
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var source = $"color=c={color}:s={width}x{height}";
        if (path.EndsWith(".png", StringComparison.OrdinalIgnoreCase)) source += ",format=rgba"; // with an alpha channel
        await ProcessRunner.RunCheckedAsync(new ProcessSpec("ffmpeg",
            ["-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", source, "-frames:v", "1", path]) { Timeout = ToolTimeout });
        return path;
    }

    public static async Task<(int Width, int Height)> ProbeAsync(string path)
    {
        var result = await ProcessRunner.RunCheckedAsync(new ProcessSpec("ffprobe",
            ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height", "-of", "csv=p=0", path])
        { Timeout = ToolTimeout, CaptureStdout = true });
        var parts = result.Stdout.Trim().Split(',');
        Assert.True(parts.Length == 2, $"unexpected ffprobe output '{result.Stdout}' for {path}");
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    public static async Task<(int Width, int Height)> ProbeAsync(byte[] image)
    {
        var path = Path.Combine(Path.GetTempPath(), $"nassav-probe-{Guid.NewGuid():N}.img");
        await File.WriteAllBytesAsync(path, image);
        try { return await ProbeAsync(path); }
        finally { File.Delete(path); }
    }

    public static bool IsJpeg(byte[] bytes) =>
        bytes.Length > 4 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[^2] == 0xFF && bytes[^1] == 0xD9;

    /// <summary>Asserts an envelope answer with HTTP status = code; returns its message.</summary>
    public static async Task<string> AssertEnvelopeAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        Assert.Equal((int)status, json.RootElement.GetProperty("code").GetInt32());
        var message = json.RootElement.GetProperty("message").GetString();
        Assert.False(string.IsNullOrEmpty(message));
        return message!;
    }
}
