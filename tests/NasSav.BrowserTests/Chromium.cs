using System.Diagnostics;
using Microsoft.Playwright;

namespace NasSav.BrowserTests;

/// <summary>
/// Debian's Chromium driven by Playwright (never Playwright's own browser download). A plain <c>dotnet test</c> on a
/// machine without it installs it through deploy/local/ensure-tools.sh, as test.sh does first.
/// </summary>
public static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>The launch flags for a headless, container-friendly Chromium (docs: /work/shared/INFRA.md).</summary>
    public static readonly string[] Args =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--autoplay-policy=no-user-gesture-required", "--hide-scrollbars"];

    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        await EnsureInstalledAsync();
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = Args,
            Timeout = 60_000,
        });
    }

    private static async Task EnsureInstalledAsync()
    {
        if (File.Exists(ExecutablePath)) return;
        await EnsureToolsAsync();
        if (!File.Exists(ExecutablePath)) throw new InvalidOperationException($"{ExecutablePath} is still missing after ensure-tools.sh");
    }

    /// <summary>CJK fonts, so that pictures of the UI show Chinese and Japanese instead of boxes (tests do not need them).</summary>
    public static Task EnsureFontsAsync() => EnsureToolsAsync("fonts");

    private static async Task EnsureToolsAsync(params string[] args)
    {
        var script = Path.Combine(RepoPaths.Root, "deploy", "local", "ensure-tools.sh");
        using var process = Process.Start(new ProcessStartInfo(script, args) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false })!;
        var output = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{script} {string.Join(' ', args)} failed:\n{await output}");
    }
}
