using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using NasSav.Testing;

namespace NasSav.Standalone.Tests;

/// <summary>
/// `dotnet run` on a terminal prints readable log lines; redirected (containers, CI, files) it prints JSON; Logging:Format
/// overrides both. The built standalone host runs as a real process, on a pseudo-terminal made by util-linux's
/// <c>script</c> or with its output redirected to a pipe, until it logs that it listens.
/// </summary>
public sealed partial class ConsoleLogFormatTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly string _data = Directory.CreateTempSubdirectory("nassav-logformat-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task A_terminal_gets_readable_lines()
    {
        var output = await RunUntilListeningAsync(terminal: true);
        Assert.Contains("info: Microsoft.Hosting.Lifetime", output);
        Assert.DoesNotContain("{\"Timestamp\"", output);
    }

    [Fact]
    public async Task Redirected_output_gets_json_lines()
    {
        var output = await RunUntilListeningAsync(terminal: false);
        AssertJsonListeningLine(output);
    }

    [Fact]
    public async Task Logging_Format_overrides_the_terminal()
    {
        var output = await RunUntilListeningAsync(terminal: true, "--Logging:Format=json");
        AssertJsonListeningLine(output);
        Assert.DoesNotContain("info: Microsoft.Hosting.Lifetime", output);
    }

    private static void AssertJsonListeningLine(string output)
    {
        var line = output.Split('\n').Select(l => l.Trim()).Single(l => l.Contains("Now listening on"));
        using var json = JsonDocument.Parse(line);
        Assert.Equal("Microsoft.Hosting.Lifetime", json.RootElement.GetProperty("Category").GetString());
        Assert.Equal("Information", json.RootElement.GetProperty("LogLevel").GetString());
    }

    /// <summary>Everything the host printed (ANSI colours removed) up to its "Now listening on" line; the host is then killed.</summary>
    private async Task<string> RunUntilListeningAsync(bool terminal, params string[] extra)
    {
        var dll = Path.Combine(RepoPaths.Root, "tools", "NasSav.Standalone", "bin", Configuration, "net10.0", "NasSav.Standalone.dll");
        Assert.True(File.Exists(dll), $"{dll} is not built");
        string[] host = [Dotnet, dll, "--urls", "http://127.0.0.1:0", $"--Data:Root={_data}", .. extra];
        var psi = terminal
            // script gives the host a pseudo-terminal as stdin, stdout and stderr and copies what it prints to our pipe.
            ? new ProcessStartInfo("script", ["-qfec", string.Join(' ', host.Select(Quote)), "/dev/null"])
            : new ProcessStartInfo(host[0], host[1..]);
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.RedirectStandardInput = true;
        psi.UseShellExecute = false;
        psi.WorkingDirectory = _data;
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("Logging__", StringComparison.OrdinalIgnoreCase)
                     || k.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase) || k == "NASSAV_CONFIG").ToList())
            psi.Environment.Remove(key);

        using var process = Process.Start(psi)!;
        var lines = new List<string>();
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(string? line)
        {
            if (line is null) return;
            var clean = Ansi().Replace(line, "");
            lock (lines) lines.Add(clean);
            if (clean.Contains("Now listening on")) listening.TrySetResult();
        }
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await Task.WhenAny(listening.Task, process.WaitForExitAsync()).WaitAsync(Patience);
        }
        catch (TimeoutException) { }
        finally
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await process.WaitForExitAsync();
        }
        lock (lines)
        {
            var output = string.Join('\n', lines);
            Assert.True(listening.Task.IsCompleted, $"the host did not log that it listens within {Patience.TotalSeconds} s:\n{output}");
            return output;
        }
    }

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";

    private static string Dotnet { get; } =
        Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";

    private static string Configuration { get; } =
        typeof(ConsoleLogFormatTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    [GeneratedRegex(@"\x1B\[[0-9;?]*[A-Za-z]")]
    private static partial Regex Ansi();
}
