namespace NasSav.Contracts.Lifecycle;

/// <summary>Published after the database holds the new state: for feeds and waiting clients.</summary>
public sealed record ResourceStateChanged
{
    public required Guid CorrelationId { get; init; }
    public required string Avid { get; init; }
    /// <summary>Saga state name: Requested, ResolvingSource, ScrapingMetadata, Translating, Ready, Failed, ...</summary>
    public required string State { get; init; }
    public string? FailedStep { get; init; }
    public string? Reason { get; init; }
}
