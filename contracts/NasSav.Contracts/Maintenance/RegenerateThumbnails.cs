namespace NasSav.Contracts.Maintenance;

/// <summary>Repair command to catalog: make the missing or stale thumbnails of a cover (catalog owns ffmpeg thumbnailing). Answered with <see cref="RepairApplied"/>.</summary>
public sealed record RegenerateThumbnails
{
    public required string Avid { get; init; }
}
