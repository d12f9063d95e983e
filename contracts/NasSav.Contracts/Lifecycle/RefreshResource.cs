namespace NasSav.Contracts.Lifecycle;

/// <summary>Request to the saga: re-run chosen steps of a known AVID; answered with <see cref="ResourceRefreshResult"/>.</summary>
public sealed record RefreshResource
{
    public required Guid CorrelationId { get; init; }
    public required string Avid { get; init; }
    public bool RefreshM3u8 { get; init; }
    public bool RefreshMetadata { get; init; }
    public bool Retranslate { get; init; }
    /// <summary>With <see cref="Retranslate"/>: the translator ignores its cache (same text, engine, model and prompt).</summary>
    public bool Force { get; init; }
}
