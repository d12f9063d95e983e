namespace NasSav.Contracts.Maintenance;

/// <summary>
/// Repair command to catalog (request/response, answered with <see cref="RepairApplied"/>): record what is on
/// disk for a resource's video. With <see cref="Exists"/> false the file fields are cleared; when only the size
/// differs the original <c>video_saved_at</c> is kept; when the file appears, it is set to <see cref="SavedAt"/>.
/// </summary>
public sealed record SetVideoFile
{
    public required string Avid { get; init; }
    public bool Exists { get; init; }
    public long? Size { get; init; }
    public DateTime? SavedAt { get; init; }
}
