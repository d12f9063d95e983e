namespace NasSav.Contracts.Maintenance;

/// <summary>Repair command to catalog: set (or, with null, clear) an actor's <c>avatar_filename</c>. Answered with <see cref="RepairApplied"/>.</summary>
public sealed record SetActorAvatar
{
    public required long ActorId { get; init; }
    public string? AvatarFilename { get; init; }
}
