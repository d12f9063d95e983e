namespace NasSav.Contracts.Maintenance;

/// <summary>
/// Published (throttled, outside any outbox) while a maintenance job runs and once when it ends; gateways
/// push it to WebSocket clients as a <c>maintenance_progress</c> frame.
/// </summary>
public sealed record MaintenanceProgress
{
    public required long RunId { get; init; }
    public required string Job { get; init; }
    /// <summary>running, succeeded, failed, cancelled.</summary>
    public required string Status { get; init; }
    public long Done { get; init; }
    public long? Total { get; init; }
    public long Bytes { get; init; }
    public long? TotalBytes { get; init; }
    public string? Message { get; init; }
    public DateTimeOffset At { get; init; }
}
