namespace NasSav.Contracts.Downloads;

/// <summary>
/// Command to the downloader (queue <c>download-video</c>: single active consumer, one at a time). Sent by the
/// lifecycle saga only, so at most one is outstanding per AVID. Redelivered after a downloader crash; the
/// next attempt resumes from the segments the earlier one left in staging.
/// </summary>
public sealed record DownloadVideo
{
    /// <summary>
    /// The downloader's queue. Declared (single active consumer) by the downloader's endpoint and by catalog's
    /// publish topology, so a command published before any downloader ever started waits there, not dropped.
    /// </summary>
    public const string QueueName = "download-video";

    public required Guid CorrelationId { get; init; }
    public required string Avid { get; init; }
    /// <summary>The task id clients see (task_id in the REST queue and WebSocket frames).</summary>
    public required string TaskId { get; init; }
    public required string M3u8Url { get; init; }
    /// <summary>Sent with every playlist, key and segment request: Referer, Cookie, User-Agent, ...</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
    /// <summary>A simulated download (progress only, no files, no lease): the peer's mock endpoint.</summary>
    public bool Mock { get; init; }
    public int MockDurationSeconds { get; init; } = 30;
    public DateTimeOffset RequestedAt { get; init; }
}
