using System.Diagnostics;

namespace NasSav.Downloader.Engine;

/// <summary>
/// Counts bytes and finished segments from many workers and reports at most once per interval
/// (a forced report always goes out: the phase changes and the end). Speed is network bytes over
/// this attempt's download time, so reused segments neither inflate it nor shorten the ETA wrongly.
/// </summary>
public sealed class ProgressTracker(IProgress<HlsProgress>? sink, int segmentsTotal, int itemsTotal, long? exactBytes, TimeSpan interval,
    DownloaderMetrics? metrics = null)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _reportLock = new();
    private long _networkBytes;
    private long _bytesDone;
    private long _completedBytes;
    private int _completedItems;
    private int _segmentsDone;
    private long _lastReportTicks = long.MinValue / 2;

    public long BytesDone => Interlocked.Read(ref _bytesDone);
    public int SegmentsDone => Volatile.Read(ref _segmentsDone);

    public void Received(int bytes)
    {
        Interlocked.Add(ref _networkBytes, bytes);
        Interlocked.Add(ref _bytesDone, bytes);
        metrics?.Received(bytes);
        Report(force: false);
    }

    /// <summary>A failed attempt's bytes no longer count as done (they still counted for speed).</summary>
    public void Discarded(long bytes) => Interlocked.Add(ref _bytesDone, -bytes);

    public void Completed(long bytes, bool isSegment)
    {
        Interlocked.Add(ref _completedBytes, bytes);
        Interlocked.Increment(ref _completedItems);
        if (isSegment) Interlocked.Increment(ref _segmentsDone);
        Report(force: false);
    }

    /// <summary>A segment fetched by this attempt (reused ones go through <see cref="Reused"/>).</summary>
    public void Fetched(long bytes, bool isSegment)
    {
        if (isSegment) metrics?.Segment(reused: false);
        Completed(bytes, isSegment);
    }

    /// <summary>A segment found on disk: done, without network bytes.</summary>
    public void Reused(long bytes, bool isSegment)
    {
        Interlocked.Add(ref _bytesDone, bytes);
        if (isSegment) metrics?.Segment(reused: true);
        Completed(bytes, isSegment);
    }

    public void Report(bool force, HlsPhase phase = HlsPhase.Download)
    {
        if (sink is null) return;
        var now = _clock.Elapsed.Ticks;
        // Called for every buffer by every worker: most calls are not due, and need not take the lock to know it.
        if (!force && now - Volatile.Read(ref _lastReportTicks) < interval.Ticks) return;
        lock (_reportLock)
        {
            if (!force && now - _lastReportTicks < interval.Ticks) return;
            _lastReportTicks = now;
        }
        var seconds = Math.Max(_clock.Elapsed.TotalSeconds, 0.001);
        var speed = Interlocked.Read(ref _networkBytes) / seconds;
        var done = Interlocked.Read(ref _bytesDone);
        var completed = Volatile.Read(ref _completedItems);
        long? total = exactBytes ?? (completed > 0 ? Interlocked.Read(ref _completedBytes) / completed * itemsTotal : null);
        if (total is { } t && t < done) total = done;
        TimeSpan? eta = phase == HlsPhase.Download && total is { } tt && speed > 0
            ? TimeSpan.FromSeconds(Math.Ceiling((tt - done) / speed))
            : null;
        sink.Report(new HlsProgress(phase, SegmentsDone, segmentsTotal, done, total, speed, eta));
    }
}
