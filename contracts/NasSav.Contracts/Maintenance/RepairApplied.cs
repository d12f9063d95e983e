namespace NasSav.Contracts.Maintenance;

/// <summary>Catalog's answer to a repair command: <see cref="Applied"/> false with <see cref="Error"/> when nothing changed (e.g. unknown AVID).</summary>
public sealed record RepairApplied
{
    public bool Applied { get; init; }
    public string? Error { get; init; }
}
