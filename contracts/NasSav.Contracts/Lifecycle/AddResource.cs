namespace NasSav.Contracts.Lifecycle;

/// <summary>
/// Request to the lifecycle saga: bring a new AVID into the library. Answered with
/// <see cref="ResourceAddResult"/> once metadata is stored (or the add failed or is refused).
/// </summary>
public sealed record AddResource
{
    /// <summary>UUIDv5 of the normalised AVID (Avid.CorrelationId).</summary>
    public required Guid CorrelationId { get; init; }
    public required string Avid { get; init; }
    /// <summary>"any" (weight order) or one source's name, case-insensitive.</summary>
    public string Source { get; init; } = "any";
}
