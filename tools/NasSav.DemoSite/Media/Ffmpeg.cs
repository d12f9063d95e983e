using System.Diagnostics;

namespace NasSav.DemoSite.Media;

/// <summary>Runs ffmpeg as a process; a non-zero exit throws with ffmpeg's own message.</summary>
public sealed class Ffmpeg(string path)
{
    public async Task RunAsync(IEnumerable<string> arguments, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in (string[])["-hide_banner", "-nostdin", "-v", "error", "-y", .. arguments]) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {path}");
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        try
        {
            await p.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw;
        }
        await stdout;
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{path} {string.Join(' ', psi.ArgumentList)} failed ({p.ExitCode}): {(await stderr).Trim()}");
    }
}
