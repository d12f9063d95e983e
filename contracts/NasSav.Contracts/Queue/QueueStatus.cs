namespace NasSav.Contracts.Queue;

/// <summary>The download queue: tasks running now and tasks waiting, each ordered by creation time.</summary>
public sealed record QueueStatus
{
    public IReadOnlyList<QueuedTask> ActiveTasks { get; init; } = [];
    public IReadOnlyList<QueuedTask> PendingTasks { get; init; } = [];
}
