namespace NasSav.Contracts.Lifecycle;

/// <summary>
/// Request to catalog from the drop-folder importer: <c>video/{AVID}.mp4</c> is already in the media store.
/// A new AVID is added through the lifecycle (metadata, translation); then the row is marked downloaded.
/// Answered with <see cref="VideoImported"/>.
/// </summary>
public sealed record ImportVideo
{
    public required string Avid { get; init; }
    public required long Size { get; init; }
}
