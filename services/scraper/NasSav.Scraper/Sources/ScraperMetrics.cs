using System.Diagnostics.Metrics;
using NasSav.Contracts.Scraping;
using NasSav.ServiceDefaults.Telemetry;

namespace NasSav.Scraper.Sources;

/// <summary>The scraper's instruments: every try of a source or metadata site, by name and outcome.</summary>
public sealed class ScraperMetrics
{
    private readonly Counter<long> _attempts;
    private readonly Histogram<double> _duration;

    public ScraperMetrics(IMeterFactory meters)
    {
        var meter = NasSavMeter.Create(meters);
        _attempts = meter.CreateCounter<long>("nassav.source.attempts", "{attempt}",
            "Tries of a source or metadata site, by source and outcome (ok, forbidden, not_found, http_error, timeout, network_error, parse_failed, wrong_page)");
        _duration = meter.CreateHistogram<double>("nassav.source.attempt.duration", "s", "How long one try of a source or metadata site took");
    }

    public void Attempted(SourceAttempt attempt)
    {
        KeyValuePair<string, object?>[] tags = [new("source", attempt.Source), new("outcome", attempt.Outcome)];
        _attempts.Add(1, tags);
        _duration.Record(attempt.ElapsedMs / 1000, tags);
    }
}
