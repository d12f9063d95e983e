using System.Globalization;

namespace NasSav.Catalog.Http;

/// <summary>Time formats of the API. Database times are UTC; SQLite hands them back unmarked, so mark them.</summary>
public static class Times
{
    public static DateTime AsUtc(DateTime t) => t.Kind == DateTimeKind.Utc ? t : DateTime.SpecifyKind(t, DateTimeKind.Utc);

    /// <summary>Epoch seconds as a float, as the peer's serializers (list shape S).</summary>
    public static double? EpochSeconds(DateTime? t) =>
        t is null ? null : (AsUtc(t.Value) - DateTime.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond;

    /// <summary>ISO 8601 with an explicit offset (JavaScript's Date parses it), e.g. 2026-01-03T04:16:13.547333+00:00.</summary>
    public static string Iso(DateTime t) =>
        new DateTimeOffset(AsUtc(t)).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture);

    public static string? Iso(DateTime? t) => t is null ? null : Iso(t.Value);
}
