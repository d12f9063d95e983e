using System.Collections.Concurrent;

namespace NasSav.Downloader.Downloads;

/// <summary>Why a running download was stopped from outside.</summary>
public enum StopReason { Cancelled, TimedOut }

/// <summary>The downloads this instance is running (at most one real one), so a cancel can reach them.</summary>
public sealed class RunningDownloads
{
    private readonly ConcurrentDictionary<string, Running> _running = new(StringComparer.Ordinal);

    public sealed class Running(string taskId) : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        public string TaskId { get; } = taskId;
        public CancellationToken Token => _stop.Token;
        public StopReason? Reason { get; private set; }

        internal void Stop(StopReason reason)
        {
            Reason ??= reason;
            try { _stop.Cancel(); } catch (ObjectDisposedException) { }
        }

        public void Dispose() => _stop.Dispose();
    }

    public Running Register(string taskId)
    {
        var running = new Running(taskId);
        _running[taskId] = running;
        return running;
    }

    public void Unregister(Running running)
    {
        _running.TryRemove(new KeyValuePair<string, Running>(running.TaskId, running));
        running.Dispose();
    }

    /// <returns>true when the task runs here (and is now stopping).</returns>
    public bool Stop(string taskId, StopReason reason)
    {
        if (!_running.TryGetValue(taskId, out var running)) return false;
        running.Stop(reason);
        return true;
    }

    public IReadOnlyCollection<string> TaskIds => _running.Keys.ToList();
}
