namespace NasSav.Catalog.Lifecycle;

/// <summary>The saga's own timeout message (scheduled to its own queue; not a contract between services).</summary>
public sealed record LifecycleStepTimedOut
{
    public required Guid CorrelationId { get; init; }
    /// <summary><see cref="LifecycleStepNames"/>: source, metadata or translation.</summary>
    public required string Step { get; init; }
}

public static class LifecycleStepNames
{
    public const string Source = "source";
    public const string Metadata = "metadata";
    public const string Translation = "translation";
}

/// <summary>
/// Catalog-internal: resume a lifecycle that is stuck (a step past its deadline), failed, or whose row has no metadata:
/// resend the step's command. Sent by the watchdog and by POST /lifecycles/repair; the saga decides what, if anything,
/// is to be done (a step that is running in time is left alone unless <see cref="Force"/>).
/// </summary>
public sealed record ResumeLifecycle
{
    public required Guid CorrelationId { get; init; }
    public required string Avid { get; init; }
    /// <summary>Requested by an operator: also resumes a step that is not overdue yet.</summary>
    public bool Force { get; init; }
}
