using Microsoft.EntityFrameworkCore;
using NasSav.Catalog.Data;
using NasSav.Contracts.Scraping;

namespace NasSav.Catalog.Sources;

/// <summary>
/// Per-source health from the scraper's attempts (<see cref="SourceHealthConsumer"/>): one short autocommit upsert per
/// source, in name order, so no transaction holds a hot health row while it waits for something else.
/// </summary>
public sealed class SourceHealthRecorder(CatalogDbContext db)
{
    /// <summary>
    /// Adds the attempts to source_health with one upsert per source: counts add up atomically, so
    /// concurrent lifecycles (and catalog instances) never lose an increment.
    /// </summary>
    public async Task RecordAsync(IReadOnlyList<SourceAttempt> attempts, CancellationToken ct)
    {
        foreach (var group in attempts.Where(a => !string.IsNullOrWhiteSpace(a.Source)).GroupBy(a => a.Source.Trim()).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var source = group.Key.Length > 128 ? group.Key[..128] : group.Key;
            var ok = group.Where(a => a.Outcome == SourceAttempt.Ok).ToList();
            var failed = group.Where(a => a.Outcome != SourceAttempt.Ok).OrderBy(a => a.At).ToList();
            DateTime? lastSuccess = ok.Count > 0 ? Micro(ok.Max(a => a.At)) : null;
            DateTime? lastErrorAt = failed.Count > 0 ? Micro(failed[^1].At) : null;
            var lastError = failed.Count > 0 ? Describe(failed[^1]) : null;
            long successes = ok.Count, failures = failed.Count;
            await db.Database.ExecuteSqlInterpolatedAsync($"""
                INSERT INTO source_health (source, last_success_at, last_error_at, last_error, success_count, failure_count)
                VALUES ({source}, {lastSuccess}, {lastErrorAt}, {lastError}, {successes}, {failures})
                ON CONFLICT (source) DO UPDATE SET
                    last_success_at = COALESCE(excluded.last_success_at, source_health.last_success_at),
                    last_error_at = COALESCE(excluded.last_error_at, source_health.last_error_at),
                    last_error = COALESCE(excluded.last_error, source_health.last_error),
                    success_count = source_health.success_count + excluded.success_count,
                    failure_count = source_health.failure_count + excluded.failure_count
                """, ct);
        }
    }

    private static string Describe(SourceAttempt a)
    {
        var text = a.Outcome + (a.StatusCode is { } code ? $" ({code})" : "") + (string.IsNullOrWhiteSpace(a.Detail) ? "" : ": " + a.Detail.Trim());
        return text.Length > 1000 ? text[..1000] : text;
    }

    private static DateTime Micro(DateTimeOffset t)
    {
        var utc = t.UtcDateTime;
        return new DateTime(utc.Ticks - utc.Ticks % 10, DateTimeKind.Utc);
    }
}
