using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NasSav.Catalog.Data;
using NasSav.Contracts.Downloads;
using NasSav.Contracts.Queue;
using NasSav.Coordination;

namespace NasSav.Catalog.Queue;

/// <summary>
/// The download queue from the lifecycle saga's table (instances in DownloadQueued → pending, Downloading →
/// active, each ordered by queue time) with each task's progress snapshot from the shared expiring store
/// (one GetManyAsync for all of them). The store being down costs the progress, not the queue.
/// </summary>
public sealed class SagaQueueStatusSource(IServiceScopeFactory scopes, IExpiringStore store, ILogger<SagaQueueStatusSource> logger) : IQueueStatusSource
{
    public const string QueuedState = "DownloadQueued";
    public const string DownloadingState = "Downloading";

    public async Task<QueueStatus> GetAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        var rows = await db.ResourceLifecycles.AsNoTracking()
            .Where(x => x.CurrentState == QueuedState || x.CurrentState == DownloadingState)
            .Select(x => new { x.Avid, x.CurrentState, x.DownloadTaskId, x.DownloadMock, x.DownloadQueuedAt, x.DownloadStartedAt })
            .ToListAsync(ct);
        if (rows.Count == 0) return new QueueStatus();

        IReadOnlyDictionary<string, string> snapshots;
        try
        {
            snapshots = await store.GetManyAsync(rows.Select(r => DownloadProgressKeys.For(r.Avid)).ToList(), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Progress snapshots unavailable; the queue is answered without progress");
            snapshots = new Dictionary<string, string>();
        }

        var tasks = rows
            .Select(r => (r.CurrentState, Task: new QueuedTask
            {
                TaskId = r.DownloadTaskId ?? "",
                Avid = r.Avid,
                State = r.CurrentState == DownloadingState ? "STARTED" : "PENDING",
                TaskType = r.DownloadMock ? "mock" : "download",
                CreatedAt = Utc(r.DownloadQueuedAt),
                UpdatedAt = r.DownloadStartedAt is null ? null : Utc(r.DownloadStartedAt),
                Progress = r.CurrentState == DownloadingState ? ReadProgress(snapshots.GetValueOrDefault(DownloadProgressKeys.For(r.Avid))) : null,
            }))
            .OrderBy(t => t.Task.CreatedAt)
            .ToList();
        return new QueueStatus
        {
            ActiveTasks = tasks.Where(t => t.CurrentState == DownloadingState).Select(t => t.Task).ToList(),
            PendingTasks = tasks.Where(t => t.CurrentState == QueuedState).Select(t => t.Task).ToList(),
        };
    }

    private static DateTimeOffset Utc(DateTime? value) =>
        value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : DateTimeOffset.UnixEpoch;

    /// <summary>The downloader's <see cref="DownloadProgressSnapshot"/>; null when absent, unreadable or without a percent.</summary>
    internal static TaskProgress? ReadProgress(string? json)
    {
        if (string.IsNullOrEmpty(json)) return null;
        try
        {
            if (JsonSerializer.Deserialize<DownloadProgressSnapshot>(json) is not { Percent: { } percent } snapshot) return null;
            return new TaskProgress
            {
                Percent = percent,
                Speed = snapshot.Speed ?? "N/A",
                Eta = snapshot.Eta ?? "",
                UpdatedAt = snapshot.UpdatedAt is { } at ? DateTimeOffset.FromUnixTimeMilliseconds((long)(at * 1000)) : DateTimeOffset.UnixEpoch,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
