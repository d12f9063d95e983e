using NasSav.Media.Processes;

namespace NasSav.Media.Tests.Processes;

public sealed class ProcessRunnerTests
{
    private static ProcessSpec Sh(string script) => new("sh", ["-c", script]) { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Gone, or a zombie nobody reaps (containers without an init): either way no longer running.</summary>
    private static bool IsStopped(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return true;
        }
    }

    /// <summary>Bounds a hang only: the processes under test would otherwise run for five minutes.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static Task WaitStoppedAsync(int pid) =>
        NasSav.Testing.Wait.UntilAsync(() => IsStopped(pid), Patience, $"process {pid} to stop");

    [Fact]
    public async Task Returns_exit_code_stdout_and_the_stderr_tail()
    {
        var lines = new List<string>();
        var result = await ProcessRunner.RunAsync(Sh("echo out1; echo out2; for i in 1 2 3 4 5; do echo err$i >&2; done; exit 3") with
        {
            CaptureStdout = true,
            StderrTailLines = 2,
            OnStdoutLine = line => { lock (lines) lines.Add(line); },
        });

        Assert.Equal(3, result.ExitCode);
        Assert.False(result.Succeeded);
        Assert.Equal("out1\nout2\n", result.Stdout);
        Assert.Equal(["out1", "out2"], lines);
        Assert.Equal("err4\nerr5", result.StderrTail);
    }

    [Fact]
    public async Task Arguments_are_passed_verbatim_without_a_shell()
    {
        var result = await ProcessRunner.RunAsync(new ProcessSpec("printf", ["%s|", "a b", "$HOME", "'q'", ""]) { CaptureStdout = true });

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("a b|$HOME|'q'||\n", result.Stdout);
    }

    [Fact]
    public async Task Stdin_is_closed_so_a_reader_does_not_hang()
    {
        var result = await ProcessRunner.RunAsync(new ProcessSpec("cat", []) { Timeout = Patience });
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task RunChecked_throws_with_the_stderr_tail_on_failure()
    {
        var error = await Assert.ThrowsAsync<ProcessFailedException>(() => ProcessRunner.RunCheckedAsync(Sh("echo broken input >&2; exit 7")));

        Assert.Equal(7, error.Result.ExitCode);
        Assert.Contains("exited with code 7", error.Message);
        Assert.Contains("broken input", error.Message);
    }

    [Fact]
    public async Task A_missing_executable_is_a_clear_start_error()
    {
        var error = await Assert.ThrowsAsync<ProcessStartException>(() => ProcessRunner.RunAsync(
            new ProcessSpec("/nonexistent/nassav-tool", ["-v"]) { NotFoundHint = "set Media:FfmpegPath" }));

        Assert.Equal("/nonexistent/nassav-tool", error.FileName);
        Assert.Contains("cannot start '/nonexistent/nassav-tool'", error.Message);
        Assert.Contains("set Media:FfmpegPath", error.Message);

        var onPath = await Assert.ThrowsAsync<ProcessStartException>(() => ProcessRunner.RunAsync(new ProcessSpec("nassav-no-such-tool-on-path", [])));
        Assert.Contains("nassav-no-such-tool-on-path", onPath.Message);
    }

    [Fact]
    public async Task A_timeout_kills_the_process_and_its_children()
    {
        // The shell waits for a child that sleeps five minutes: only the timeout can end the run (the bound turns a wait for
        // the child into a failure). The timeout is long enough for the shell to start its child first on any machine.
        var child = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var spec = Sh("sleep 300 & echo $!; wait") with
        {
            Timeout = TimeSpan.FromSeconds(5),
            OnStdoutLine = line => child.TrySetResult(int.Parse(line, System.Globalization.CultureInfo.InvariantCulture)),
        };

        var error = await Assert.ThrowsAsync<ProcessTimeoutException>(() => ProcessRunner.RunAsync(spec).WaitAsync(Patience));

        Assert.Contains("did not finish within 5 s", error.Message);
        Assert.True(child.Task.IsCompleted, "the child never reported its pid");
        await WaitStoppedAsync(error.ProcessId);
        await WaitStoppedAsync(await child.Task);
    }

    [Fact]
    public async Task Cancellation_kills_the_process_and_throws_OperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        var pid = 0;
        // $$ is the shell's pid, which exec hands to sleep: five minutes, so returning at all is the cancellation's doing.
        var spec = Sh("echo $$; exec sleep 300") with
        {
            Timeout = null,
            OnStdoutLine = line =>
            {
                pid = int.Parse(line, System.Globalization.CultureInfo.InvariantCulture);
                cts.Cancel();
            },
        };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ProcessRunner.RunAsync(spec, cts.Token).WaitAsync(Patience));

        Assert.NotEqual(0, pid);
        await WaitStoppedAsync(pid);
    }
}

public sealed class ProcessRunnerStdinTests
{
    [Fact]
    public async Task Stdin_is_fed_by_the_writer_and_closed_after_it()
    {
        var result = await ProcessRunner.RunAsync(new ProcessSpec("cat", [])
        {
            CaptureStdout = true,
            Timeout = TimeSpan.FromSeconds(30),
            StandardInput = async (stdin, ct) =>
            {
                await stdin.WriteAsync("line 1\n"u8.ToArray(), ct);
                await stdin.WriteAsync("line 2\n"u8.ToArray(), ct);
            },
        });
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("line 1\nline 2\n", result.Stdout);
    }

    [Fact]
    public async Task A_failing_writer_kills_the_process_and_its_error_propagates()
    {
        // Not waited out: stdin is left open and the process killed (else cat would end and sleep five minutes, and the bound,
        // which only turns that hang into a failure, would end the test).
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => ProcessRunner.RunAsync(new ProcessSpec("sh", ["-c", "cat >/dev/null; sleep 300"])
        {
            StandardInput = async (stdin, ct) =>
            {
                await stdin.WriteAsync("partial"u8.ToArray(), ct);
                throw new InvalidOperationException("the source failed");
            },
        }).WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal("the source failed", ex.Message);
    }

    [Fact]
    public async Task A_process_that_stops_reading_is_reported_by_its_exit_code()
    {
        var result = await ProcessRunner.RunAsync(new ProcessSpec("sh", ["-c", "exit 4"])
        {
            Timeout = TimeSpan.FromSeconds(30),
            StandardInput = async (stdin, ct) =>
            {
                var chunk = new byte[64 * 1024];
                for (var i = 0; i < 1000; i++) await stdin.WriteAsync(chunk, ct);
            },
        });
        Assert.Equal(4, result.ExitCode);
    }
}
