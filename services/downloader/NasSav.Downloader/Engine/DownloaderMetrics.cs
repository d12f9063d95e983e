using System.Diagnostics.Metrics;
using NasSav.ServiceDefaults.Telemetry;

namespace NasSav.Downloader.Engine;

/// <summary>The downloader's instruments: segment bytes and counts, retries, and each download's duration and outcome.</summary>
public sealed class DownloaderMetrics
{
    private readonly Counter<long> _bytes;
    private readonly Counter<long> _segments;
    private readonly Counter<long> _retries;
    private readonly Histogram<double> _duration;

    public DownloaderMetrics(IMeterFactory meters)
    {
        var meter = NasSavMeter.Create(meters);
        _bytes = meter.CreateCounter<long>("nassav.download.bytes", "By", "Segment bytes received from HLS servers (failed attempts included)");
        _segments = meter.CreateCounter<long>("nassav.download.segments", "{segment}",
            "Segments finished, by how: fetched, or reused from an earlier attempt's staging folder");
        _retries = meter.CreateCounter<long>("nassav.download.retries", "{retry}", "Playlist, key and segment requests tried again after a failure");
        _duration = meter.CreateHistogram<double>("nassav.download.duration", "s",
            "One download attempt while holding the lease, by outcome (completed, failed, cancelled, timed_out, lease_lost, stale)");
    }

    public void Received(int bytes) => _bytes.Add(bytes);
    public void Segment(bool reused) => _segments.Add(1, new KeyValuePair<string, object?>("how", reused ? "reused" : "fetched"));
    public void Retried() => _retries.Add(1);
    public void Ended(string outcome, TimeSpan took) => _duration.Record(took.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));
}
