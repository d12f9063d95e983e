namespace NasSav.Contracts.Downloads;

/// <summary>
/// Throttled progress, published straight to the bus (not through an outbox, which would hold it until the
/// download ends). Receivers drop progress whose epoch is older than the latest start they saw.
/// </summary>
public sealed record DownloadProgressed
{
    public required Guid CorrelationId { get; init; }
    public required string Avid { get; init; }
    public required string TaskId { get; init; }
    public required long Epoch { get; init; }
    /// <summary>download or merge.</summary>
    public required string Phase { get; init; }
    public required double Percent { get; init; }
    public long BytesDone { get; init; }
    public long? BytesTotal { get; init; }
    public int SegmentsDone { get; init; }
    public int SegmentsTotal { get; init; }
    public double BytesPerSecond { get; init; }
    public double? EtaSeconds { get; init; }
    /// <summary>Human speed as the peer's frames, e.g. "3.2 MB/s".</summary>
    public required string Speed { get; init; }
    /// <summary>"00:01:05", or "" when unknown.</summary>
    public required string Eta { get; init; }
    public bool Mock { get; init; }
    public required DateTimeOffset At { get; init; }
}
