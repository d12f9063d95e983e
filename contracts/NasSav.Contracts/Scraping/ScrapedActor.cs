namespace NasSav.Contracts.Scraping;

public sealed record ScrapedActor
{
    /// <summary>Full name (from the avatar image's title: span text can be truncated).</summary>
    public required string Name { get; init; }
    /// <summary>Absolute avatar URL, null for none or a placeholder.</summary>
    public string? AvatarUrl { get; init; }
    /// <summary>File name under avatar/ when the avatar is stored, else null.</summary>
    public string? AvatarFile { get; init; }
}
