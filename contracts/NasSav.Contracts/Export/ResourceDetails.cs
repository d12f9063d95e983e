namespace NasSav.Contracts.Export;

/// <summary>Catalog's answer to <see cref="GetResourceDetails"/>.</summary>
public sealed record ResourceDetails
{
    public required IReadOnlyList<ResourceDetail> Resources { get; init; }
    /// <summary>The user's display_title setting: original_title, source_title or translated_title.</summary>
    public required string DisplayTitle { get; init; }
}
