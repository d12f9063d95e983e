namespace NasSav.Contracts.Maintenance;

/// <summary>Command to catalog: resume the lifecycle of <see cref="Avid"/> (resend its step); answered with <see cref="RepairApplied"/>.</summary>
public sealed record RepairLifecycle
{
    public required string Avid { get; init; }
}
