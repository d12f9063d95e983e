using MassTransit;

namespace NasSav.Catalog.Lifecycle;

/// <summary>
/// The lifecycle saga's instance: one per AVID, keyed by <c>Avid.CorrelationId</c> (UUIDv5), persisted in
/// <c>resource_lifecycles</c>. Only state lives here; the behaviour is in <see cref="ResourceLifecycleStateMachine"/>
/// and <see cref="LifecycleSteps"/>.
/// </summary>
public sealed class ResourceLifecycle : SagaStateMachineInstance, ISagaVersion
{
    public Guid CorrelationId { get; set; }
    public string CurrentState { get; set; } = "";
    /// <summary>Optimistic-concurrency version (the EF repository checks it).</summary>
    public int Version { get; set; }

    public string Avid { get; set; } = "";
    /// <summary>"any" or the source name the add asked for.</summary>
    public string RequestedSource { get; set; } = "any";

    // What the last source step found (kept so that a metadata-only refresh can offer the source cover as fallback);
    // the source page is the row's (Resource.SourcePageUrl).
    public string? Source { get; set; }
    public string? SourceCoverUrl { get; set; }

    // The run in progress: an add, or a refresh with its three flags.
    public bool IsRefresh { get; set; }
    public bool RefreshM3u8 { get; set; }
    public bool RefreshMetadata { get; set; }
    public bool Retranslate { get; set; }
    /// <summary>The retranslation bypasses the translator's cache (TranslateTitle.Force).</summary>
    public bool ForceTranslation { get; set; }
    public bool M3u8Updated { get; set; }
    public bool MetadataFound { get; set; }
    public bool CoverSaved { get; set; }
    public bool TranslationQueued { get; set; }

    // Step timestamps (UTC).
    public DateTime RequestedAt { get; set; }
    public DateTime? SourceResolvedAt { get; set; }
    public DateTime? MetadataCompletedAt { get; set; }
    public DateTime? TranslationCompletedAt { get; set; }
    public DateTime? ReadyAt { get; set; }
    public DateTime? FailedAt { get; set; }
    /// <summary>When the running step times out; past it (plus a grace) the step is overdue: the watchdog or a new add resends it.</summary>
    public DateTime? StepDeadline { get; set; }
    /// <summary>Resumes (watchdog or requested repairs) since the run last succeeded; bounds the automatic ones.</summary>
    public int RepairAttempts { get; set; }
    public DateTime? LastRepairAt { get; set; }

    /// <summary>source, metadata or translation.</summary>
    public string? FailedStep { get; set; }
    public string? FailureReason { get; set; }
    /// <summary>403, 404 or 502 for source failures, 502/504 for faults and timeouts.</summary>
    public int? FailureCode { get; set; }

    // The add or refresh request waiting for its answer (RequestId + ResponseAddress of the request client).
    public Guid? PendingRequestId { get; set; }
    public Uri? PendingResponseAddress { get; set; }
    /// <summary>add or refresh: which result type the waiter expects.</summary>
    public string? PendingKind { get; set; }

    /// <summary>Token of the step timeout scheduled by <see cref="ResourceLifecycleStateMachine.StepTimeout"/>.</summary>
    public Guid? StepTimeoutTokenId { get; set; }

    // The download (DownloadQueued → Downloading → Downloaded): the last task, kept after it ended for diagnostics.
    /// <summary>The task id clients see; events of another task are not this download's.</summary>
    public string? DownloadTaskId { get; set; }
    /// <summary>The highest fencing epoch seen for the task: events with an older one come from a replaced holder.</summary>
    public long DownloadEpoch { get; set; }
    public bool DownloadMock { get; set; }
    public DateTime? DownloadQueuedAt { get; set; }
    public DateTime? DownloadStartedAt { get; set; }
    public DateTime? DownloadEndedAt { get; set; }
    /// <summary>The downloader instance that reported the start with the current epoch.</summary>
    public string? DownloadInstance { get; set; }
    /// <summary>Why the last download failed or was cancelled; null after a success.</summary>
    public string? DownloadError { get; set; }
}
