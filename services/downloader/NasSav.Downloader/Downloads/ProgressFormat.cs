using System.Globalization;

namespace NasSav.Downloader.Downloads;

/// <summary>Human forms of speeds, sizes and times, as in the peer's frames ("3.2 MB/s", "00:01:05").</summary>
public static class ProgressFormat
{
    private static readonly string[] Units = ["B", "KB", "MB", "GB", "TB"];

    public static string Bytes(double bytes)
    {
        if (double.IsNaN(bytes) || bytes < 0) bytes = 0;
        var unit = 0;
        while (bytes >= 1024 && unit < Units.Length - 1)
        {
            bytes /= 1024;
            unit++;
        }
        return string.Create(CultureInfo.InvariantCulture, $"{bytes:0.0} {Units[unit]}");
    }

    public static string Speed(double bytesPerSecond) => Bytes(bytesPerSecond) + "/s";

    /// <summary>"HH:MM:SS" (hours not capped at 24), "" when unknown.</summary>
    public static string Eta(TimeSpan? eta)
    {
        if (eta is not { } t || t < TimeSpan.Zero) return "";
        var seconds = (long)Math.Ceiling(t.TotalSeconds);
        return string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600:00}:{seconds / 60 % 60:00}:{seconds % 60:00}");
    }

    /// <summary>Epoch seconds with millisecond precision, the peer's updated_at.</summary>
    public static double EpochSeconds(DateTimeOffset at) => Math.Round(at.ToUnixTimeMilliseconds() / 1000.0, 3);
}
