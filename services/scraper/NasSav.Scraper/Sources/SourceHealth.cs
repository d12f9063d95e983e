using System.Collections.Concurrent;
using NasSav.Contracts.Scraping;

namespace NasSav.Scraper.Sources;

public sealed record SourceHealthEntry(
    string Source, long Attempts, long Successes, long Failures,
    DateTimeOffset? LastSuccess, DateTimeOffset? LastFailure, string? LastOutcome, string? LastError,
    IReadOnlyDictionary<string, long> Outcomes);

/// <summary>
/// In-process counters per source and metadata site (this instance only), also counted by <see cref="ScraperMetrics"/>.
/// Nothing extra is published: the attempts in the result events are what catalog aggregates across instances.
/// </summary>
public sealed class SourceHealth(ScraperMetrics metrics)
{
    private sealed class Entry
    {
        public long Attempts, Successes, Failures;
        public DateTimeOffset? LastSuccess, LastFailure;
        public string? LastOutcome, LastError;
        public readonly ConcurrentDictionary<string, long> Outcomes = new();
    }

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.OrdinalIgnoreCase);

    public void Record(SourceAttempt attempt)
    {
        metrics.Attempted(attempt);
        var e = _entries.GetOrAdd(attempt.Source, _ => new Entry());
        lock (e)
        {
            e.Attempts++;
            e.LastOutcome = attempt.Outcome;
            if (attempt.Outcome == SourceAttempt.Ok)
            {
                e.Successes++;
                e.LastSuccess = attempt.At;
            }
            else
            {
                e.Failures++;
                e.LastFailure = attempt.At;
                e.LastError = attempt.StatusCode is { } code ? $"{attempt.Outcome} {code}: {attempt.Detail}" : $"{attempt.Outcome}: {attempt.Detail}";
            }
            e.Outcomes.AddOrUpdate(attempt.Outcome, 1, (_, n) => n + 1);
        }
    }

    public IReadOnlyList<SourceHealthEntry> Snapshot() =>
        _entries.OrderBy(kv => kv.Key, StringComparer.OrdinalIgnoreCase).Select(kv =>
        {
            var e = kv.Value;
            lock (e)
                return new SourceHealthEntry(kv.Key, e.Attempts, e.Successes, e.Failures, e.LastSuccess, e.LastFailure,
                    e.LastOutcome, e.LastError, new Dictionary<string, long>(e.Outcomes));
        }).ToList();
}
