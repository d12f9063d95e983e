namespace NasSav.Contracts.Translation;

public sealed record TitleTranslated
{
    public required Guid CorrelationId { get; init; }
    public required string Avid { get; init; }
    public required string TranslatedTitle { get; init; }
}
