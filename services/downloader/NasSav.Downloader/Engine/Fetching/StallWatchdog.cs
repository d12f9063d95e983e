namespace NasSav.Downloader.Engine.Fetching;

/// <summary>
/// Cancels a transfer that receives no byte for the stall timeout: re-armed before the request and
/// before every read (CancelAfter restarts the one timer, no allocation per read). Whether the
/// cancellation came from the watchdog or from the caller is told apart by <see cref="Stalled"/>.
/// </summary>
public sealed class StallWatchdog : IDisposable
{
    private readonly CancellationTokenSource _cts;
    private readonly CancellationToken _outer;
    private readonly TimeSpan _timeout;

    public StallWatchdog(TimeSpan timeout, CancellationToken outer)
    {
        _timeout = timeout;
        _outer = outer;
        _cts = CancellationTokenSource.CreateLinkedTokenSource(outer);
        Arm();
    }

    public CancellationToken Token => _cts.Token;
    public bool Stalled => _cts.IsCancellationRequested && !_outer.IsCancellationRequested;

    public void Arm() => _cts.CancelAfter(_timeout);

    public void Dispose() => _cts.Dispose();
}
