using System.Threading.Channels;
using NasSav.Contracts.Downloads;
using NasSav.Downloader.Engine;

namespace NasSav.Downloader.Downloads;

/// <summary>
/// The engine's progress callback for one attempt: throttled to one event per interval, except that a phase change
/// and the first 100 % of a phase always go out. The callback only queues; a pump publishes in order, so a slow bus
/// never slows the engine.
/// </summary>
public sealed class ProgressReporter : IProgress<HlsProgress>, IAsyncDisposable
{
    private readonly DownloadVideo _task;
    private readonly long _epoch;
    private readonly ProgressPublisher _publisher;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _clock;
    private readonly Channel<DownloadProgressed> _queue = Channel.CreateUnbounded<DownloadProgressed>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _pump;
    private readonly Lock _gate = new();
    private long? _lastSent;
    private HlsPhase? _lastPhase;
    private bool _sentFull;

    public ProgressReporter(DownloadVideo task, long epoch, ProgressPublisher publisher, TimeSpan interval, TimeProvider clock)
    {
        _task = task;
        _epoch = epoch;
        _publisher = publisher;
        _interval = interval;
        _clock = clock;
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>The latest report, for heartbeats.</summary>
    public HlsProgress? Latest { get; private set; }

    public int Published { get; private set; }

    public void Report(HlsProgress value)
    {
        lock (_gate)
        {
            Latest = value;
            var now = _clock.GetTimestamp();
            var phaseChanged = _lastPhase != value.Phase;
            if (phaseChanged) _sentFull = false;
            var full = value.Percent >= 100 && !_sentFull;
            var due = _lastSent is null || phaseChanged || full || _clock.GetElapsedTime(_lastSent.Value, now) >= _interval;
            if (!due) return;
            _lastSent = now;
            _lastPhase = value.Phase;
            if (value.Percent >= 100) _sentFull = true;
            _queue.Writer.TryWrite(ToEvent(value));
        }
    }

    private DownloadProgressed ToEvent(HlsProgress p) => new()
    {
        CorrelationId = _task.CorrelationId,
        Avid = _task.Avid,
        TaskId = _task.TaskId,
        Epoch = _epoch,
        Phase = p.Phase == HlsPhase.Merge ? "merge" : "download",
        Percent = Math.Clamp(p.Percent, 0, 100),
        BytesDone = p.BytesDone,
        BytesTotal = p.BytesTotal,
        SegmentsDone = p.SegmentsDone,
        SegmentsTotal = p.SegmentsTotal,
        BytesPerSecond = p.BytesPerSecond,
        EtaSeconds = p.Eta?.TotalSeconds,
        Speed = ProgressFormat.Speed(p.BytesPerSecond),
        Eta = ProgressFormat.Eta(p.Eta),
        At = _clock.GetUtcNow(),
    };

    private async Task PumpAsync()
    {
        await foreach (var progress in _queue.Reader.ReadAllAsync())
        {
            await _publisher.PublishAsync(progress, CancellationToken.None);
            Published++;
        }
    }

    /// <summary>Publishes what is queued, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _pump;
    }
}
