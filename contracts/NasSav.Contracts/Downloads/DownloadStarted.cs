namespace NasSav.Contracts.Downloads;

/// <summary>The downloader holds the lease and starts fetching. Epoch is the lease's fencing epoch (0 for mock).</summary>
public sealed record DownloadStarted
{
    public required Guid CorrelationId { get; init; }
    public required string Avid { get; init; }
    public required string TaskId { get; init; }
    public required long Epoch { get; init; }
    public required string Instance { get; init; }
    public bool Mock { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
}
