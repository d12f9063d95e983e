using System.Text.Json;
using Microsoft.Extensions.Options;
using NasSav.Contracts.Downloads;
using NasSav.Coordination;

namespace NasSav.Downloader.Downloads;

/// <summary>
/// What every instance must know about a task whatever instance learnt it: that it was cancelled (a copy still
/// queued is skipped) and that it completed (a redelivered copy re-announces the completion instead of downloading
/// the file again, e.g. after a crash between the file move and the acknowledgement).
/// </summary>
public sealed class TaskMarks(IExpiringStore store, IOptions<DownloaderOptions> options)
{
    /// <summary>Long enough for any redelivery; the file itself is the lasting record.</summary>
    private static readonly TimeSpan DoneTtl = TimeSpan.FromDays(2);

    public Task MarkCancelledAsync(string taskId, string reason, CancellationToken ct) =>
        store.SetAsync(DownloadKeys.Cancelled(taskId), reason, TimeSpan.FromMinutes(options.Value.CancelledTaskTtlMinutes), ct);

    /// <summary>The reason it was cancelled with, or null.</summary>
    public Task<string?> CancelledAsync(string taskId, CancellationToken ct) => store.GetAsync(DownloadKeys.Cancelled(taskId), ct);

    public Task MarkDoneAsync(DownloadCompleted completed, CancellationToken ct) =>
        store.SetAsync(DownloadKeys.Done(completed.TaskId), JsonSerializer.Serialize(completed), DoneTtl, ct);

    public async Task<DownloadCompleted?> DoneAsync(string taskId, CancellationToken ct)
    {
        var json = await store.GetAsync(DownloadKeys.Done(taskId), ct);
        if (json is null) return null;
        try { return JsonSerializer.Deserialize<DownloadCompleted>(json); }
        catch (JsonException) { return null; }
    }
}
