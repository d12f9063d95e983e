namespace NasSav.Contracts.Lifecycle;

/// <summary>Published by catalog after a resource's row and files are gone; the saga finalizes.</summary>
public sealed record ResourceDeleted
{
    public required Guid CorrelationId { get; init; }
    public required string Avid { get; init; }
}
