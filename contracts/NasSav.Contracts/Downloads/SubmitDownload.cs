namespace NasSav.Contracts.Downloads;

/// <summary>
/// Request to the lifecycle saga (answered with <see cref="DownloadSubmitResult"/>): download this AVID, or
/// simulate it (<see cref="Mock"/>). The saga is the one source of truth for "already queued or running".
/// </summary>
public sealed record SubmitDownload
{
    public required Guid CorrelationId { get; init; }
    public required string Avid { get; init; }
    public bool Mock { get; init; }
    public int MockDurationSeconds { get; init; } = 30;
}
