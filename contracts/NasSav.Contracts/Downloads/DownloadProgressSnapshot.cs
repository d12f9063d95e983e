using System.Text.Json.Serialization;

namespace NasSav.Contracts.Downloads;

/// <summary>
/// The value the downloader stores at <see cref="DownloadProgressKeys.For"/> and catalog reads for
/// /tasks/queue/status: one definition of that JSON for both sides. Fields are nullable so a reader can tell a
/// missing field from a zero.
/// </summary>
public sealed record DownloadProgressSnapshot(
    [property: JsonPropertyName("percent")] double? Percent,
    [property: JsonPropertyName("speed")] string? Speed,
    [property: JsonPropertyName("eta")] string? Eta,
    [property: JsonPropertyName("downloaded")] string? Downloaded,
    /// <summary>Unix seconds.</summary>
    [property: JsonPropertyName("updated_at")] double? UpdatedAt,
    [property: JsonPropertyName("epoch")] long? Epoch,
    [property: JsonPropertyName("phase")] string? Phase);
