using System.Globalization;

namespace NasSav.Bench;

/// <summary>The benchmarks' <c>--name value</c> options, and the machine's load for the header lines.</summary>
public static class BenchArgs
{
    public static string? String(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>A positive integer, or <paramref name="fallback"/> when missing or not one.</summary>
    public static int Int(string[] args, string name, int fallback) =>
        int.TryParse(String(args, name), CultureInfo.InvariantCulture, out var v) && v > 0 ? v : fallback;

    public static double Double(string[] args, string name, double fallback) =>
        double.TryParse(String(args, name), CultureInfo.InvariantCulture, out var v) && v > 0 ? v : fallback;

    /// <summary>The 1-minute load average (Linux), since shared build machines make timings noisy.</summary>
    public static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (IOException) { return "?"; }
        catch (UnauthorizedAccessException) { return "?"; }
    }
}
