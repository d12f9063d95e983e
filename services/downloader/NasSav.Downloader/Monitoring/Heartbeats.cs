using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NasSav.Downloader.Downloads;
using NasSav.Coordination;

namespace NasSav.Downloader.Monitoring;

/// <summary>One running download as its heartbeat says (also the value of <see cref="DownloadKeys.Current"/>).</summary>
public sealed record Heartbeat(
    [property: JsonPropertyName("task_id")] string TaskId,
    [property: JsonPropertyName("correlation_id")] Guid CorrelationId,
    [property: JsonPropertyName("avid")] string Avid,
    [property: JsonPropertyName("instance")] string Instance,
    [property: JsonPropertyName("holder")] string Holder,
    [property: JsonPropertyName("epoch")] long Epoch,
    [property: JsonPropertyName("started_at")] DateTimeOffset StartedAt,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt,
    [property: JsonPropertyName("phase")] string Phase,
    [property: JsonPropertyName("percent")] double Percent);

/// <summary>A task in the heartbeat index; <see cref="EndedAt"/> is set when it ended normally.</summary>
public sealed record HeartbeatIndexEntry(
    [property: JsonPropertyName("task_id")] string TaskId,
    [property: JsonPropertyName("avid")] string Avid,
    [property: JsonPropertyName("instance")] string Instance,
    [property: JsonPropertyName("holder")] string Holder,
    [property: JsonPropertyName("epoch")] long Epoch,
    [property: JsonPropertyName("started_at")] DateTimeOffset StartedAt,
    [property: JsonPropertyName("ended_at")] DateTimeOffset? EndedAt = null,
    [property: JsonPropertyName("outcome")] string? Outcome = null);

/// <summary>
/// Heartbeats of running downloads: a key per task with a short time to live, rewritten every few seconds while it
/// runs. A task in the index whose heartbeat expired without an end is dead (its process stopped mid-download).
/// </summary>
public sealed class Heartbeats(IExpiringStore store, IOptions<DownloaderOptions> options, TimeProvider clock, ILogger<Heartbeats> log)
{
    private const int IndexLength = 50;
    private static readonly TimeSpan IndexTtl = TimeSpan.FromDays(7);
    private readonly SemaphoreSlim _indexGate = new(1, 1);

    private TimeSpan Ttl => TimeSpan.FromSeconds(options.Value.HeartbeatTtlSeconds);

    public async Task BeatAsync(Heartbeat beat, CancellationToken ct)
    {
        var json = JsonSerializer.Serialize(beat);
        await store.SetAsync(DownloadKeys.Heartbeat(beat.TaskId), json, Ttl, ct);
        await store.SetAsync(DownloadKeys.Current, json, Ttl, ct);
    }

    public async Task StartedAsync(Heartbeat beat, CancellationToken ct)
    {
        await BeatAsync(beat, ct);
        await UpdateIndexAsync(list =>
        {
            list.RemoveAll(e => e.TaskId == beat.TaskId && e.Epoch == beat.Epoch);
            list.Add(new HeartbeatIndexEntry(beat.TaskId, beat.Avid, beat.Instance, beat.Holder, beat.Epoch, beat.StartedAt));
        }, ct);
    }

    /// <summary>Best effort: a store error here must not turn a finished download into a failed one.</summary>
    public async Task EndedAsync(Heartbeat beat, string outcome)
    {
        try
        {
            await store.DeleteAsync(DownloadKeys.Heartbeat(beat.TaskId));
            var current = await CurrentAsync(CancellationToken.None);
            if (current is not null && current.TaskId == beat.TaskId && current.Holder == beat.Holder)
                await store.DeleteAsync(DownloadKeys.Current);
            var now = clock.GetUtcNow();
            await UpdateIndexAsync(list =>
            {
                var i = list.FindIndex(e => e.TaskId == beat.TaskId && e.Epoch == beat.Epoch);
                if (i >= 0) list[i] = list[i] with { EndedAt = now, Outcome = outcome };
            }, CancellationToken.None);
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Could not end the heartbeat of task {TaskId}", beat.TaskId);
        }
    }

    public async Task<Heartbeat?> CurrentAsync(CancellationToken ct) => Parse<Heartbeat>(await store.GetAsync(DownloadKeys.Current, ct));

    /// <summary>The indexed tasks with their live heartbeat (null when it expired).</summary>
    public async Task<IReadOnlyList<(HeartbeatIndexEntry Entry, Heartbeat? Beat)>> ListAsync(CancellationToken ct)
    {
        var index = await ReadIndexAsync(ct);
        if (index.Count == 0) return [];
        var beats = await store.GetManyAsync(index.Select(e => DownloadKeys.Heartbeat(e.TaskId)).Distinct().ToList(), ct);
        return index.Select(e =>
        {
            var beat = beats.TryGetValue(DownloadKeys.Heartbeat(e.TaskId), out var json) ? Parse<Heartbeat>(json) : null;
            // A newer attempt of the same task beats under the same key: it is not this entry's heartbeat.
            if (beat is not null && beat.Epoch != e.Epoch) beat = null;
            return (e, beat);
        }).ToList();
    }

    private async Task<List<HeartbeatIndexEntry>> ReadIndexAsync(CancellationToken ct) =>
        Parse<List<HeartbeatIndexEntry>>(await store.GetAsync(DownloadKeys.HeartbeatIndex, ct)) ?? [];

    // One download runs at a time cluster-wide, so the index has one writer at a time; the gate covers this process.
    private async Task UpdateIndexAsync(Action<List<HeartbeatIndexEntry>> change, CancellationToken ct)
    {
        await _indexGate.WaitAsync(ct);
        try
        {
            var list = await ReadIndexAsync(ct);
            change(list);
            if (list.Count > IndexLength) list.RemoveRange(0, list.Count - IndexLength);
            await store.SetAsync(DownloadKeys.HeartbeatIndex, JsonSerializer.Serialize(list), IndexTtl, ct);
        }
        finally
        {
            _indexGate.Release();
        }
    }

    private static T? Parse<T>(string? json) where T : class
    {
        if (json is null) return null;
        try { return JsonSerializer.Deserialize<T>(json); }
        catch (JsonException) { return null; }
    }
}
