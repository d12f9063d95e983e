namespace NasSav.Contracts.Maintenance;

/// <summary>One page of resources; <see cref="NextAfterId"/> is null on the last page.</summary>
public sealed record LibraryInventory
{
    public required IReadOnlyList<InventoryResource> Resources { get; init; }
    public long? NextAfterId { get; init; }
}
