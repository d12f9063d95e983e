namespace NasSav.Contracts.Queue;

public sealed record QueuedTask
{
    public required string TaskId { get; init; }
    public required string Avid { get; init; }
    /// <summary>PENDING or STARTED, as the peer's queue hash.</summary>
    public required string State { get; init; }
    /// <summary>download or mock.</summary>
    public required string TaskType { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
    public string? Title { get; init; }
    public TaskProgress? Progress { get; init; }
}
