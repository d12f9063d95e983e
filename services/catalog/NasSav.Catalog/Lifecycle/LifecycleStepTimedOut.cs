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
