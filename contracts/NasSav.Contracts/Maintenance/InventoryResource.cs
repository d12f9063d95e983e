namespace NasSav.Contracts.Maintenance;

/// <summary>What the consistency checks and the AVID list backup need of one resource.</summary>
public sealed record InventoryResource
{
    public required long Id { get; init; }
    public required string Avid { get; init; }
    public string? CoverFilename { get; init; }
    public bool FileExists { get; init; }
    public long? FileSize { get; init; }
    public DateTime? VideoSavedAt { get; init; }
}
