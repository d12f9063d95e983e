namespace NasSav.Testing;

/// <summary>Waiting on conditions with a deadline, never on a fixed sleep.</summary>
public static class Wait
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        using var cts = new CancellationTokenSource(timeout);
        var delay = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            if (await condition()) return;
            if (cts.IsCancellationRequested) throw new TimeoutException($"timed out after {timeout.TotalSeconds:0.#} s waiting for {what}");
            try { await Task.Delay(delay, cts.Token); } catch (OperationCanceledException) { }
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 250));
        }
    }

    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, what);
}
