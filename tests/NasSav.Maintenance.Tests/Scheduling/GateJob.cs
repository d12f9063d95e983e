using NasSav.Maintenance.Scheduling;

namespace NasSav.Maintenance.Tests.Scheduling;

/// <summary>A job that runs until the test opens its gate (to hold a run in "running"), reporting progress meanwhile.</summary>
public sealed class GateJob : IMaintenanceJob
{
    public TaskCompletionSource Gate { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public TaskCompletionSource Entered { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public int Runs => Volatile.Read(ref _runs);
    public bool Throw { get; set; }
    private int _runs;

    public string Name => "test-gate";
    public string Description => "test";
    public string? DefaultCron => null;

    public void Reset()
    {
        Gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public async Task RunAsync(JobContext context)
    {
        Interlocked.Increment(ref _runs);
        Entered.TrySetResult();
        var done = 0;
        while (!Gate.Task.IsCompleted)
        {
            context.Progress(++done, null, message: "waiting for the gate");
            await Task.WhenAny(Gate.Task, Task.Delay(100, context.Cancellation));
            context.Cancellation.ThrowIfCancellationRequested();
        }
        if (Throw) throw new InvalidOperationException("the gate job was told to fail");
        context.Count("ticks", done);
        context.Report = new { ticks = done, apply = context.Apply };
        context.Summary = "gate opened";
    }
}
