namespace NasSav.Contracts.Lifecycle;

/// <summary>The saga's answer to <see cref="AddResource"/>.</summary>
public sealed record ResourceAddResult
{
    public required Guid CorrelationId { get; init; }
    public required string Avid { get; init; }
    /// <summary>created (metadata step done), exists (already known or in progress), failed.</summary>
    public required string Outcome { get; init; }
    /// <summary>HTTP-style code for failed adds: 403, 404 or 502 (reference §1.2 source failures).</summary>
    public int? Code { get; init; }
    public string? Message { get; init; }
    public bool CoverSaved { get; init; }
    public bool MetadataScraped { get; init; }

    public const string Created = "created";
    public const string Exists = "exists";
    public const string Failed = "failed";
}
