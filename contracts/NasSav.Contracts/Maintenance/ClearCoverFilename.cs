namespace NasSav.Contracts.Maintenance;

/// <summary>Repair command to catalog: the cover file is gone, clear <c>cover_filename</c>. Answered with <see cref="RepairApplied"/>.</summary>
public sealed record ClearCoverFilename
{
    public required string Avid { get; init; }
}
