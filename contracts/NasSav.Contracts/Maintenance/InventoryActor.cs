namespace NasSav.Contracts.Maintenance;

public sealed record InventoryActor
{
    public required long Id { get; init; }
    public required string Name { get; init; }
    public string? AvatarUrl { get; init; }
    public string? AvatarFilename { get; init; }
    /// <summary>The URL is one of the metadata sites' "no picture" placeholders.</summary>
    public bool Placeholder { get; init; }
}
