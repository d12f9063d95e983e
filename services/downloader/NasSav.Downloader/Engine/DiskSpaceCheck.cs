using Microsoft.Extensions.Logging;
using NasSav.Downloader.Engine.Fetching;

namespace NasSav.Downloader.Engine;

/// <summary>
/// Refuses to start a download the staging volume cannot hold: the missing segments plus the MP4
/// (about as large as the segments) plus the configured reserve. The stream's size comes from its
/// byte ranges, or from HEAD on a few segments still to fetch (so resumed segments see no request).
/// </summary>
public static class DiskSpaceCheck
{
    private const int Samples = 3;

    public static async Task EnsureAsync(SegmentPlan plan, IReadOnlyDictionary<string, long> present, string staging,
        HlsHttp http, HlsEngineOptions options, ILogger logger, CancellationToken ct)
    {
        var total = plan.ExactBytes ?? await EstimateAsync(plan, present, http, ct).ConfigureAwait(false);
        if (total is null)
        {
            logger.LogWarning("Cannot estimate the size of {Playlist} (no byte ranges, no Content-Length): free space not checked", plan.Playlist.Url);
            return;
        }
        var missing = Math.Max(0, total.Value - present.Values.Sum());
        var reserve = options.ReserveFreeMegabytes * 1024 * 1024;
        var needed = missing + total.Value + reserve;
        var available = new DriveInfo(Path.GetFullPath(staging)).AvailableFreeSpace;
        if (available < needed)
            throw new HlsDownloadException(
                $"not enough free space in {staging}: {Mb(available)} available, {Mb(needed)} needed " +
                $"({Mb(missing)} of segments still to fetch, {Mb(total.Value)} for the MP4, {Mb(reserve)} reserve from {HlsEngineOptions.Section}:{nameof(HlsEngineOptions.ReserveFreeMegabytes)})", kind: HlsFailure.DiskSpace);
    }

    private static async Task<long?> EstimateAsync(SegmentPlan plan, IReadOnlyDictionary<string, long> present, HlsHttp http, CancellationToken ct)
    {
        var known = plan.Items.Where(i => present.ContainsKey(i.FileName) || i.Range is not null).ToList();
        var knownBytes = known.Sum(i => present.TryGetValue(i.FileName, out var size) ? size : i.Range!.Value.Length);
        var unknown = plan.Items.Where(i => !present.ContainsKey(i.FileName) && i.Range is null).ToList();
        if (unknown.Count == 0) return knownBytes;
        // Spread the samples over the stream: segment sizes drift with the content.
        var picks = Enumerable.Range(0, Math.Min(Samples, unknown.Count)).Select(k => unknown[k * unknown.Count / Math.Min(Samples, unknown.Count)]).ToList();
        var sizes = await Task.WhenAll(picks.Select(i => http.TryGetLengthAsync(i.Uri, ct))).ConfigureAwait(false);
        var sampled = sizes.Where(s => s is > 0).Select(s => s!.Value).ToList();
        if (sampled.Count == 0) return known.Count > 0 ? knownBytes / known.Count * plan.Items.Count : null;
        return knownBytes + (long)(sampled.Average() * unknown.Count);
    }

    private static string Mb(long bytes) => $"{bytes / 1048576.0:0.#} MB";
}
