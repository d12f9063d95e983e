using System.Diagnostics;
using System.Text;
using NasSav.Testing;

namespace NasSav.SystemTests.Cli;

public sealed record CliResult(int ExitCode, string Out, string Err)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Out}\n--- stderr ---\n{Err}";
}

/// <summary>
/// The real <c>nassav</c> (the built tools/NasSav.Cli/…/nassav.dll) as a child process: stdout and stderr are pipes, so
/// it prints plain lines, never progress bars. Nothing of the test's environment that names a host leaks in.
/// </summary>
public sealed class CliProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _err = new();

    private CliProcess(Process process) => _process = process;

    public static string Dll { get; } = Path.Combine(RepoPaths.Root, "tools", "NasSav.Cli", "bin", HostProcess.Configuration, "net10.0", "nassav.dll");

    public int Pid => _process.Id;

    public string Out
    {
        get { lock (_out) return _out.ToString(); }
    }

    public string Err
    {
        get { lock (_err) return _err.ToString(); }
    }

    public static CliProcess Start(string workDir, IReadOnlyDictionary<string, string?> env, string? stdin, params string[] args)
    {
        if (!File.Exists(Dll)) throw new FileNotFoundException($"{Dll} is not built (dotnet build NasSav.sln)", Dll);
        var psi = new ProcessStartInfo("dotnet", [Dll, .. args])
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("NASSAV_", StringComparison.Ordinal)).ToList()) psi.Environment.Remove(key);
        foreach (var (k, v) in env) psi.Environment[k] = v;
        var cli = new CliProcess(new Process { StartInfo = psi });
        cli._process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (cli._out) cli._out.Append(e.Data).Append('\n'); };
        cli._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (cli._err) cli._err.Append(e.Data).Append('\n'); };
        cli._process.Start();
        cli._process.BeginOutputReadLine();
        cli._process.BeginErrorReadLine();
        if (stdin is not null) cli._process.StandardInput.Write(stdin);
        cli._process.StandardInput.Close();
        return cli;
    }

    public static async Task<CliResult> RunAsync(string workDir, IReadOnlyDictionary<string, string?> env, TimeSpan timeout, params string[] args)
    {
        await using var cli = Start(workDir, env, null, args);
        return await cli.WaitAsync(timeout);
    }

    public async Task<CliResult> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"nassav {string.Join(' ', _process.StartInfo.ArgumentList.Skip(1))} did not exit within {timeout}\n{Out}\n{Err}");
        }
        _process.WaitForExit(); // drains the output events
        return new CliResult(_process.ExitCode, Out, Err);
    }

    /// <summary>SIGTERM, which nassav handles as Ctrl-C (a test process may have inherited SIGINT as ignored).</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
