using System.Diagnostics;

namespace NasSav.Testing;

/// <summary>ffmpeg, ffprobe and other programs run by tests (installed by deploy/local/ensure-tools.sh).</summary>
public static class ExternalTools
{
    /// <summary>Runs <paramref name="file"/> (looked up on PATH) to its end, at most two minutes; its exit code and trimmed output.</summary>
    public static async Task<(int Exit, string Out, string Err)> RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await p.WaitForExitAsync(timeout.Token);
        return (p.ExitCode, (await stdout).Trim(), (await stderr).Trim());
    }
}
