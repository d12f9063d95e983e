namespace NasSav.Contracts.Maintenance;

/// <summary>One page of actors; <see cref="NextAfterId"/> is null on the last page.</summary>
public sealed record ActorInventory
{
    public required IReadOnlyList<InventoryActor> Actors { get; init; }
    public long? NextAfterId { get; init; }
}
