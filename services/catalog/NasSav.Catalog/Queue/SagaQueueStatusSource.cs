using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NasSav.Catalog.Data;
using NasSav.Contracts.Downloads;
using NasSav.Contracts.Queue;
using NasSav.ServiceDefaults.Shared;

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

    /// <summary>The snapshot JSON <c>{percent, speed, eta, updated_at, ...}</c>; updated_at as epoch seconds or ISO text.</summary>
    internal static TaskProgress? ReadProgress(string? json)
    {
        if (string.IsNullOrEmpty(json)) return null;
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("percent", out var percent) || percent.ValueKind != JsonValueKind.Number)
                return null;
            var updated = DateTimeOffset.UnixEpoch;
            if (root.TryGetProperty("updated_at", out var at))
            {
                if (at.ValueKind == JsonValueKind.Number) updated = DateTimeOffset.FromUnixTimeMilliseconds((long)(at.GetDouble() * 1000));
                else if (at.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(at.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                    updated = parsed;
            }
            return new TaskProgress
            {
                Percent = percent.GetDouble(),
                Speed = root.TryGetProperty("speed", out var speed) && speed.ValueKind == JsonValueKind.String ? speed.GetString()! : "N/A",
                Eta = root.TryGetProperty("eta", out var eta) && eta.ValueKind == JsonValueKind.String ? eta.GetString()! : "",
                UpdatedAt = updated,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
