using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NasSav.Catalog.Data;
using NasSav.Catalog.Lifecycle;

namespace NasSav.Catalog.Watchdog;

/// <summary>One AVID whose lifecycle needs attention, with what the watchdog may do about it on its own.</summary>
public sealed record LifecycleProblem
{
    public const string Overdue = "overdue";
    public const string Failed = "failed";
    public const string NoMetadata = "no_metadata";

    public required string Avid { get; init; }
    /// <summary><see cref="Overdue"/> (a step past its deadline), <see cref="Failed"/>, or <see cref="NoMetadata"/> (a row the metadata step never completed).</summary>
    public required string Kind { get; init; }
    /// <summary>The saga's state; null when the AVID has a row but no lifecycle.</summary>
    public string? State { get; init; }
    public DateTime? Deadline { get; init; }
    public string? FailedStep { get; init; }
    public int? FailureCode { get; init; }
    public string? Reason { get; init; }
    public bool HasRow { get; init; }
    public bool HasMetadata { get; init; }
    public int RepairAttempts { get; init; }
    public DateTime? LastRepairAt { get; init; }
    /// <summary>What the watchdog resumes without asking (Lifecycle:Watchdog:AutoRepair).</summary>
    public bool AutoRepairable { get; init; }
}

/// <summary>
/// Finds lifecycles past their step's deadline or failed, and rows without metadata. An AVID appears once, under its
/// most pressing kind. AVIDs whose download holds the lifecycle are left out (a resume waits for it).
/// </summary>
public sealed class LifecycleProblems(CatalogDbContext db, ResourceLifecycleStateMachine machine, IOptions<LifecycleOptions> options, TimeProvider clock)
{
    private LifecycleWatchdogOptions Options => options.Value.Watchdog;

    public async Task<List<LifecycleProblem>> ListAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        string[] steps = [machine.ResolvingSource.Name, machine.ScrapingMetadata.Name, machine.Translating.Name];
        var failed = machine.Failed.Name;
        var overdueBefore = now - Options.Grace;

        var sagas = await db.ResourceLifecycles.AsNoTracking()
            .Where(x => (steps.Contains(x.CurrentState) && x.StepDeadline != null && x.StepDeadline < overdueBefore) || x.CurrentState == failed)
            .ToListAsync(ct);
        var bare = await (
                from r in db.Resources.AsNoTracking().Where(Resource.WithoutMetadata)
                join l in db.ResourceLifecycles.AsNoTracking() on r.Avid equals l.Avid into lifecycles
                from l in lifecycles.DefaultIfEmpty()
                select new { r.Avid, Lifecycle = l })
            .ToListAsync(ct);

        var byAvid = new Dictionary<string, LifecycleProblem>(StringComparer.Ordinal);
        var withoutMetadata = bare.Select(b => b.Avid).ToHashSet(StringComparer.Ordinal);
        var withRow = sagas.Count == 0 ? [] : await RowsAsync(sagas.Select(s => s.Avid).ToList(), ct);
        foreach (var s in sagas)
        {
            var kind = s.CurrentState == failed ? LifecycleProblem.Failed : LifecycleProblem.Overdue;
            byAvid[s.Avid] = Problem(s.Avid, kind, s, withRow.Contains(s.Avid), !withoutMetadata.Contains(s.Avid) && withRow.Contains(s.Avid), now);
        }
        foreach (var b in bare)
        {
            if (byAvid.ContainsKey(b.Avid)) continue;
            if (b.Lifecycle is { } l && (l.CurrentState == machine.DownloadQueued.Name || l.CurrentState == machine.Downloading.Name)) continue;
            // A step running in time will put the metadata there itself.
            if (b.Lifecycle is { } running && steps.Contains(running.CurrentState)) continue;
            byAvid[b.Avid] = Problem(b.Avid, LifecycleProblem.NoMetadata, b.Lifecycle, hasRow: true, hasMetadata: false, now);
        }
        return byAvid.Values.OrderBy(p => Rank(p.Kind)).ThenBy(p => p.Avid, StringComparer.Ordinal).ToList();
    }

    private async Task<HashSet<string>> RowsAsync(List<string> avids, CancellationToken ct)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in avids.Chunk(500))
            found.UnionWith(await db.Resources.AsNoTracking().Where(r => chunk.Contains(r.Avid)).Select(r => r.Avid).ToListAsync(ct));
        return found;
    }

    private LifecycleProblem Problem(string avid, string kind, ResourceLifecycle? s, bool hasRow, bool hasMetadata, DateTime now) => new()
    {
        Avid = avid,
        Kind = kind,
        State = s?.CurrentState,
        Deadline = s?.StepDeadline,
        FailedStep = s?.FailedStep,
        FailureCode = s?.FailureCode,
        Reason = s?.FailureReason,
        HasRow = hasRow,
        HasMetadata = hasMetadata,
        RepairAttempts = s?.RepairAttempts ?? 0,
        LastRepairAt = s?.LastRepairAt,
        AutoRepairable = AutoRepairable(kind, s, now),
    };

    /// <summary>
    /// Overdue steps; failures that were faults or timeouts (502/504; a 403/404 is the source's own answer and stays
    /// until someone asks); rows whose metadata step never completed (no lifecycle, or none finished). A row whose sites
    /// had no metadata (the step completed, found nothing) is listed only. All within MaxAutoRepairs and RetryAfter.
    /// </summary>
    private bool AutoRepairable(string kind, ResourceLifecycle? s, DateTime now)
    {
        if (s is not null && (s.RepairAttempts >= Options.MaxAutoRepairs || (s.LastRepairAt is { } last && now - last < Options.RetryAfter)))
            return false;
        return kind switch
        {
            LifecycleProblem.Overdue => true,
            LifecycleProblem.Failed => s!.FailureCode is null or >= 500,
            _ => s is null || s.MetadataCompletedAt is null,
        };
    }

    private static int Rank(string kind) => kind switch
    {
        LifecycleProblem.Overdue => 0,
        LifecycleProblem.Failed => 1,
        _ => 2,
    };
}
