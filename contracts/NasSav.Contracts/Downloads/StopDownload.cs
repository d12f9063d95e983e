namespace NasSav.Contracts.Downloads;

/// <summary>
/// Request to the lifecycle saga (answered with <see cref="DownloadStopResult"/>): end the AVID's queued or
/// running download. The saga publishes <see cref="CancelDownload"/> to the downloaders.
/// </summary>
public sealed record StopDownload
{
    public required Guid CorrelationId { get; init; }
    public required string Avid { get; init; }
    public string Reason { get; init; } = "cancelled";
}
