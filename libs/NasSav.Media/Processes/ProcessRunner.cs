using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace NasSav.Media.Processes;

/// <summary>What to run: an executable (a name looked up on PATH only, or a path) and its arguments, never a shell line.</summary>
public sealed record ProcessSpec(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>Killed (with its children) when this elapses; null means only cancellation stops it.</summary>
    public TimeSpan? Timeout { get; init; }
    public string? WorkingDirectory { get; init; }
    /// <summary>Extra environment variables (e.g. PGPASSWORD, which must not appear on a command line).</summary>
    public IReadOnlyDictionary<string, string?>? Environment { get; init; }
    /// <summary>How many trailing stderr lines to keep for error messages.</summary>
    public int StderrTailLines { get; init; } = 20;
    /// <summary>Keep the whole stdout (up to <see cref="MaxStdoutChars"/>), e.g. for ffprobe's answer.</summary>
    public bool CaptureStdout { get; init; }
    public int MaxStdoutChars { get; init; } = 1024 * 1024;
    /// <summary>Called for each stdout line as it arrives (progress parsing); runs on a reader thread.</summary>
    public Action<string>? OnStdoutLine { get; init; }
    /// <summary>Called for each stderr line as it arrives; runs on a reader thread.</summary>
    public Action<string>? OnStderrLine { get; init; }
    /// <summary>
    /// Writes the process's stdin (e.g. media piped into ffmpeg while it is still being fetched); stdin is
    /// closed when it returns. When it throws, the process tree is killed and its exception propagates;
    /// an <see cref="IOException"/> because the process stopped reading is ignored (the exit code tells).
    /// Null: stdin is closed at once.
    /// </summary>
    public Func<Stream, CancellationToken, Task>? StandardInput { get; init; }
    /// <summary>Added to "cannot start" errors, e.g. "install ffmpeg or set Media:FfmpegPath".</summary>
    public string? NotFoundHint { get; init; }

    public override string ToString() => Arguments.Count == 0 ? FileName : $"{FileName} {string.Join(' ', Arguments)}";
}

public sealed record ProcessResult(int ExitCode, string Stdout, string StderrTail, TimeSpan Elapsed, int ProcessId)
{
    public bool Succeeded => ExitCode == 0;
}

/// <summary>Base of the runner's own failures; the message always names the executable.</summary>
public class ProcessRunException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The executable could not be started (missing, not executable).</summary>
public sealed class ProcessStartException(string fileName, string message, Exception inner) : ProcessRunException(message, inner)
{
    public string FileName { get; } = fileName;
}

/// <summary>The process ran past its timeout and was killed with its children.</summary>
public sealed class ProcessTimeoutException(string message, int processId, string stderrTail) : ProcessRunException(message)
{
    public int ProcessId { get; } = processId;
    public string StderrTail { get; } = stderrTail;
}

/// <summary>The process exited with a non-zero code (thrown by <see cref="ProcessRunner.RunCheckedAsync"/>).</summary>
public sealed class ProcessFailedException(string message, ProcessResult result) : ProcessRunException(message)
{
    public ProcessResult Result { get; } = result;
}

/// <summary>
/// Runs an external tool (ffmpeg, ffprobe, a downloader) as a child process: arguments passed as a
/// list (no shell, no quoting bugs), stdin closed, stdout/stderr read concurrently (no pipe-full
/// deadlock), a bounded stderr tail for error messages, and the whole process tree killed on
/// timeout or cancellation before the call returns.
/// </summary>
public static class ProcessRunner
{
    /// <summary>How long we wait for the output pipes to drain once the process is gone.</summary>
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Runs to completion; a non-zero exit code is returned, not thrown.</summary>
    /// <exception cref="ProcessStartException">the executable could not be started</exception>
    /// <exception cref="ProcessTimeoutException">the timeout elapsed (the process tree was killed)</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled (the process tree was killed)</exception>
    public static async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ct.ThrowIfCancellationRequested();

        // PATH only: Process.Start would try the working directory before PATH for a bare name.
        var executable = ExecutableLocator.Find(spec.FileName);
        if (executable is null)
        {
            var hint = spec.NotFoundHint is null ? "" : $" ({spec.NotFoundHint})";
            var reason = ExecutableLocator.NotFoundMessage(spec.FileName);
            throw new ProcessStartException(spec.FileName, $"cannot start '{spec.FileName}': {reason}{hint}", new FileNotFoundException(reason, spec.FileName));
        }
        var psi = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            CreateNoWindow = true,
        };
        foreach (var argument in spec.Arguments) psi.ArgumentList.Add(argument);
        if (spec.WorkingDirectory is not null) psi.WorkingDirectory = spec.WorkingDirectory;
        foreach (var (name, value) in spec.Environment ?? new Dictionary<string, string?>()) psi.Environment[name] = value;

        using var process = new Process { StartInfo = psi };
        var stopwatch = Stopwatch.StartNew();
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            var hint = spec.NotFoundHint is null ? "" : $" ({spec.NotFoundHint})";
            throw new ProcessStartException(spec.FileName, $"cannot start '{spec.FileName}': {ex.Message}{hint}", ex);
        }

        var pid = process.Id;
        if (spec.StandardInput is null)
        {
            try { process.StandardInput.Close(); } catch (IOException) { /* already gone */ }
        }

        var stderrTail = new TailBuffer(Math.Max(1, spec.StderrTailLines));
        var stdout = spec.CaptureStdout ? new StringBuilder() : null;
        var stdoutTask = PumpAsync(process.StandardOutput, line =>
        {
            if (stdout is not null && stdout.Length < spec.MaxStdoutChars)
                stdout.Append(line).Append('\n');
            spec.OnStdoutLine?.Invoke(line);
        });
        var stderrTask = PumpAsync(process.StandardError, line =>
        {
            stderrTail.Add(line);
            spec.OnStderrLine?.Invoke(line);
        });

        using var timeout = spec.Timeout is { } t ? new CancellationTokenSource(t) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        var stdinTask = spec.StandardInput is { } feed ? FeedAsync(process, feed, linked.Token) : Task.CompletedTask;
        try
        {
            var exited = process.WaitForExitAsync(linked.Token);
            if (await Task.WhenAny(exited, stdinTask).ConfigureAwait(false) == stdinTask && !stdinTask.IsCompletedSuccessfully)
            {
                await KillTreeAsync(process).ConfigureAwait(false);
                await DrainAsync(stdoutTask, stderrTask).ConfigureAwait(false);
                await stdinTask.ConfigureAwait(false);   // rethrows the feeder's own error
            }
            await exited.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await KillTreeAsync(process).ConfigureAwait(false);
            await DrainAsync(stdoutTask, stderrTask).ConfigureAwait(false);
            if (ct.IsCancellationRequested) throw new OperationCanceledException($"'{spec.FileName}' was cancelled and killed", null, ct);
            throw new ProcessTimeoutException(
                $"'{spec.FileName}' did not finish within {spec.Timeout!.Value.TotalSeconds:0.###} s and was killed{FormatTail(stderrTail.ToString())}",
                pid, stderrTail.ToString());
        }

        await DrainAsync(stdoutTask, stderrTask).ConfigureAwait(false);
        return new ProcessResult(process.ExitCode, stdout?.ToString() ?? "", stderrTail.ToString(), stopwatch.Elapsed, pid);
    }

    /// <summary>As <see cref="RunAsync"/>, and a non-zero exit code throws <see cref="ProcessFailedException"/> with the stderr tail.</summary>
    public static async Task<ProcessResult> RunCheckedAsync(ProcessSpec spec, CancellationToken ct = default)
    {
        var result = await RunAsync(spec, ct).ConfigureAwait(false);
        if (!result.Succeeded)
            throw new ProcessFailedException($"'{spec.FileName}' exited with code {result.ExitCode}{FormatTail(result.StderrTail)}", result);
        return result;
    }

    private static string FormatTail(string tail) => tail.Length == 0 ? "" : $": {tail}";

    private static async Task FeedAsync(Process process, Func<Stream, CancellationToken, Task> feed, CancellationToken ct)
    {
        try
        {
            await feed(process.StandardInput.BaseStream, ct).ConfigureAwait(false);
        }
        catch (IOException) { /* the process stopped reading (exited); its exit code tells why */ }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { /* the process is being killed */ }
        // On any other error stdin stays open: closing it would let the process finish a truncated output
        // before it is killed.
        try { process.StandardInput.Close(); } catch (IOException) { } catch (InvalidOperationException) { }
    }

    private static async Task PumpAsync(StreamReader reader, Action<string> onLine)
    {
        try
        {
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line) onLine(line);
        }
        catch (IOException) { /* pipe closed under us (killed) */ }
        catch (ObjectDisposedException) { }
    }

    private static async Task DrainAsync(Task stdout, Task stderr)
    {
        // A grandchild that inherited the pipes could hold them open forever: bounded wait.
        await Task.WhenAny(Task.WhenAll(stdout, stderr), Task.Delay(DrainTimeout)).ConfigureAwait(false);
    }

    private static async Task KillTreeAsync(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException) { /* exited meanwhile */ }
        catch (Win32Exception) { /* exited meanwhile or not ours to kill */ }
        using var reap = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try { await process.WaitForExitAsync(reap.Token).ConfigureAwait(false); }
        catch (OperationCanceledException) { /* the kernel will reap it; nothing more we can do */ }
    }

    /// <summary>The last N lines written, thread-safe.</summary>
    private sealed class TailBuffer(int capacity)
    {
        private readonly Queue<string> _lines = new();

        public void Add(string line)
        {
            lock (_lines)
            {
                if (_lines.Count == capacity) _lines.Dequeue();
                _lines.Enqueue(line);
            }
        }

        public override string ToString()
        {
            lock (_lines) return string.Join('\n', _lines).Trim();
        }
    }
}
