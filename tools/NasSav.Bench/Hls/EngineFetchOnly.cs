using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NasSav.Downloader.Engine;
using NasSav.Downloader.Engine.Fetching;
using NasSav.Downloader.Engine.Playlists;

namespace NasSav.Bench.Hls;

/// <summary>
/// The engine's fetch alone (playlist, plan, the same fetcher, pool and progress tracker as
/// <c>HlsDownloader</c>), without the remux that otherwise runs beside it and competes for the CPU:
/// the time until every segment is on disk under its final name.
/// </summary>
public static class EngineFetchOnly
{
    public static async Task<double> RunAsync(IServiceProvider services, Uri url, string staging, CancellationToken ct)
    {
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(staging);
        var options = services.GetRequiredService<IOptions<HlsEngineOptions>>().Value;
        var clock = Stopwatch.StartNew();
        var retry = new Retry(options);
        var http = new HlsHttp(services.GetRequiredService<IHttpClientFactory>().CreateClient(HlsHttp.ClientName),
            new Dictionary<string, string>(), options, retry);
        var playlist = (MediaPlaylist)PlaylistParser.Parse(Encoding.UTF8.GetString(await http.GetBytesAsync("playlist", url, ct)), url);
        var plan = SegmentPlan.Create(playlist);
        var tracker = new ProgressTracker(new Progress<HlsProgress>(_ => { }), plan.SegmentCount, plan.Items.Count, plan.ExactBytes,
            TimeSpan.FromMilliseconds(options.ProgressIntervalMs));
        var fetcher = new SegmentFetcher(http, new KeyCache(http, ct), retry, options, tracker, NullLogger.Instance);
        await new FetchPool(fetcher, tracker, options.Parallelism).FetchAllAsync(plan.Items, staging, null, ct);
        var seconds = clock.Elapsed.TotalSeconds;
        Directory.Delete(staging, recursive: true);
        return seconds;
    }
}
