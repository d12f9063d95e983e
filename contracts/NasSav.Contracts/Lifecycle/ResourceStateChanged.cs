namespace NasSav.Contracts.Lifecycle;

/// <summary>
/// Published when an AVID's lifecycle settles (Ready, Failed, Downloaded) or ends (Deleted), after the database holds
/// it. The media-server export (maintenance) follows Ready and Downloaded; steps starting are not announced.
/// </summary>
public sealed record ResourceStateChanged
{
    public required Guid CorrelationId { get; init; }
    public required string Avid { get; init; }
    /// <summary>Ready, Failed, Downloaded or Deleted.</summary>
    public required string State { get; init; }
    public string? FailedStep { get; init; }
    public string? Reason { get; init; }
}
