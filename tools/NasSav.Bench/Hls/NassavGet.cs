using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace NasSav.Bench.Hls;

/// <summary>
/// <c>nassav get URL -o out.mp4 --json</c> as a user runs it: a new process (runtime start-up and JIT included), its
/// JSON events read as they come, so "download s" is when it reported the merge phase and "total s" when it exited.
/// </summary>
public static class NassavGet
{
    /// <summary>tools/NasSav.Cli/bin/{same configuration as this bench}/net10.0/nassav.dll.</summary>
    public static string Dll { get; } = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "NasSav.Cli", "bin",
        typeof(NassavGet).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release", "net10.0", "nassav.dll"));

    public static async Task<(double Download, double Total, double Duration)> RunAsync(Uri url, string output, int parallel, CancellationToken ct)
    {
        if (!File.Exists(Dll)) throw new FileNotFoundException($"{Dll} is not built: dotnet build -c Release tools/NasSav.Bench builds it", Dll);
        if (File.Exists(output)) File.Delete(output);
        var clock = Stopwatch.StartNew();
        var psi = new ProcessStartInfo("dotnet", [Dll, "get", url.ToString(), "-o", output, "--parallel", parallel.ToString(System.Globalization.CultureInfo.InvariantCulture), "--json"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync(ct);
        double? merge = null;
        double duration = 0;
        while (await process.StandardOutput.ReadLineAsync(ct) is { } line)
        {
            using var doc = JsonDocument.Parse(line);
            var e = doc.RootElement;
            switch (e.GetProperty("event").GetString())
            {
                case "progress" when e.GetProperty("phase").GetString() == "merge":
                    merge ??= clock.Elapsed.TotalSeconds;
                    break;
                case "done":
                    duration = e.GetProperty("duration_seconds").GetDouble();
                    break;
            }
        }
        await process.WaitForExitAsync(ct);
        var total = clock.Elapsed.TotalSeconds;
        if (process.ExitCode != 0) throw new InvalidOperationException($"nassav get exited {process.ExitCode}: {await stderr}");
        File.Delete(output);
        return (merge ?? total, total, duration);
    }
}
