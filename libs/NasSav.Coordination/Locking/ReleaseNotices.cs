using System.Collections.Concurrent;

namespace NasSav.Coordination.Locking;

/// <summary>
/// Per lease name, a task that completes at the next release notice. A waiter takes it BEFORE trying to
/// acquire, so a notice that arrives between a failed try and the wait is not missed.
/// </summary>
internal sealed class ReleaseNotices
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _next = new(StringComparer.Ordinal);

    public Task Next(string name) => _next.GetOrAdd(name, _ => New()).Task;

    public void Signal(string name)
    {
        if (_next.TryRemove(name, out var current)) current.TrySetResult();
    }

    public void SignalAll()
    {
        foreach (var name in _next.Keys) Signal(name);
    }

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
