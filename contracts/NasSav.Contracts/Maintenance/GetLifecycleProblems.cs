namespace NasSav.Contracts.Maintenance;

/// <summary>
/// Request to catalog: the lifecycles that need attention (a step past its deadline, failed, a row without metadata),
/// answered with <see cref="LifecycleProblemList"/>. The maintenance check "lifecycles" reports them.
/// </summary>
public sealed record GetLifecycleProblems
{
    public int Limit { get; init; } = 1000;
}

public sealed record LifecycleProblemList
{
    public required IReadOnlyList<LifecycleProblemItem> Items { get; init; }
    /// <summary>All problems, also those past <see cref="GetLifecycleProblems.Limit"/>.</summary>
    public int Total { get; init; }
}

public sealed record LifecycleProblemItem
{
    public required string Avid { get; init; }
    /// <summary>overdue, failed or no_metadata.</summary>
    public required string Kind { get; init; }
    public string? State { get; init; }
    public string? Reason { get; init; }
    /// <summary>Catalog's watchdog resumes it on its own (when AutoRepair is on).</summary>
    public bool AutoRepairable { get; init; }
}
