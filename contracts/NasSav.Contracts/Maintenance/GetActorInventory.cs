namespace NasSav.Contracts.Maintenance;

/// <summary>Request to catalog: one page of actors in id order, answered with <see cref="ActorInventory"/>.</summary>
public sealed record GetActorInventory
{
    public long AfterId { get; init; }
    public int Limit { get; init; } = 500;
}
