namespace NasSav.Contracts.Lifecycle;

public sealed record ResourceRefreshResult
{
    public required Guid CorrelationId { get; init; }
    public required string Avid { get; init; }
    /// <summary>refreshed, busy (another step of this AVID is running), not_found, failed.</summary>
    public required string Outcome { get; init; }
    public int? Code { get; init; }
    public string? Message { get; init; }
    public bool M3u8Refreshed { get; init; }
    public bool MetadataRefreshed { get; init; }
    public bool CoverSaved { get; init; }
    public bool TranslationQueued { get; init; }

    public const string Refreshed = "refreshed";
    public const string Busy = "busy";
    public const string NotFound = "not_found";
    public const string Failed = "failed";
}
