namespace NasSav.Contracts.Translation;

public sealed record TitleTranslationFailed
{
    public required Guid CorrelationId { get; init; }
    public required string Avid { get; init; }
    public required string Reason { get; init; }
}
