using NasSav.Contracts.Maintenance;
using NasSav.Maintenance.Library;
using NasSav.Maintenance.Scheduling;
using NasSav.Media.Storage;

namespace NasSav.Maintenance.Consistency;

/// <summary>One finding of a check, and what apply did about it.</summary>
public sealed record CheckIssue
{
    public required string Check { get; init; }
    /// <summary>e.g. video_missing, thumbnail_missing, cover_missing, file_missing, cover_orphaned, lifecycle_failed.</summary>
    public required string Kind { get; init; }
    public string? Avid { get; init; }
    public long? ActorId { get; init; }
    public string? Actor { get; init; }
    /// <summary>The media key (or staging path) concerned.</summary>
    public string? Key { get; init; }
    public string? Size { get; init; }
    public bool? DbFileExists { get; init; }
    public bool? Mp4Exists { get; init; }
    public long? DbFileSize { get; init; }
    public long? Mp4Size { get; init; }
    /// <summary>The lifecycle's state (the lifecycles check).</summary>
    public string? State { get; init; }
    /// <summary>Why the lifecycle failed (the lifecycles check).</summary>
    public string? Reason { get; init; }
    /// <summary>reported (dry run or nothing to do), fixed, fix_failed, skipped (e.g. deletion not enabled).</summary>
    public string Action { get; set; } = "reported";
    public string? Error { get; set; }
}

/// <summary>What every check of one run shares: the library as catalog tells it (read once), the media store, the mode.</summary>
public sealed class CheckContext(JobContext job, LibraryClient library, IMediaStore store,
    IReadOnlyList<InventoryResource> resources, IReadOnlyList<InventoryActor> actors)
{
    private readonly List<CheckIssue> _issues = [];
    public JobContext Job { get; } = job;
    public LibraryClient Library { get; } = library;
    public IMediaStore Store { get; } = store;
    public IReadOnlyList<InventoryResource> Resources { get; } = resources;
    public IReadOnlyList<InventoryActor> Actors { get; } = actors;
    public bool Apply => Job.Apply;
    public CancellationToken Cancellation => Job.Cancellation;

    public IReadOnlyList<CheckIssue> Issues { get { lock (_issues) return [.. _issues]; } }

    public CheckIssue Report(CheckIssue issue)
    {
        lock (_issues) _issues.Add(issue);
        Job.Count(issue.Kind);
        return issue;
    }

    /// <summary>Runs a repair and records its outcome on the issue.</summary>
    public async Task FixAsync(CheckIssue issue, Func<Task<RepairApplied>> repair)
    {
        try
        {
            var result = await repair();
            issue.Action = result.Applied ? "fixed" : "fix_failed";
            issue.Error = result.Error;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            issue.Action = "fix_failed";
            issue.Error = ex.Message;
        }
        Job.Count(issue.Action == "fixed" ? "fixed" : "fix_failed");
        Job.Log($"{issue.Check}/{issue.Kind} {issue.Avid ?? issue.Actor ?? issue.Key}: {issue.Action}{(issue.Error is null ? "" : " (" + issue.Error + ")")}");
    }

    public Task FixAsync(CheckIssue issue, Func<Task> repair) => FixAsync(issue, async () =>
    {
        await repair();
        return new RepairApplied { Applied = true };
    });
}

/// <summary>One consistency check (one class each, as Sonarr's housekeepers): reports in a dry run, repairs in apply mode.</summary>
public interface IConsistencyCheck
{
    /// <summary>covers, thumbnails, videos, avatars, orphans, staging.</summary>
    string Name { get; }
    Task RunAsync(CheckContext context);
}
