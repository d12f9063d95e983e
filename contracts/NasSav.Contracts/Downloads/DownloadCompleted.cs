namespace NasSav.Contracts.Downloads;

/// <summary>The file is in the media store (moved there while <see cref="Epoch"/> was current). The saga records it.</summary>
public sealed record DownloadCompleted
{
    public required Guid CorrelationId { get; init; }
    public required string Avid { get; init; }
    public required string TaskId { get; init; }
    public required long Epoch { get; init; }
    public long FileSize { get; init; }
    public double DurationSeconds { get; init; }
    public bool Mock { get; init; }
    public required DateTimeOffset CompletedAt { get; init; }
}
