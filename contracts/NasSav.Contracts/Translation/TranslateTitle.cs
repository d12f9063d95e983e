namespace NasSav.Contracts.Translation;

/// <summary>Command to the translator (its issue builds the consumer).</summary>
public sealed record TranslateTitle
{
    public required Guid CorrelationId { get; init; }
    public required string Avid { get; init; }
    public required string Text { get; init; }
    public bool Force { get; init; }
}
