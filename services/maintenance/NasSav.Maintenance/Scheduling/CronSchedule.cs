using System.Diagnostics.CodeAnalysis;
using Quartz;

namespace NasSav.Maintenance.Scheduling;

/// <summary>A cron expression (Quartz's parser) evaluated in a time zone.</summary>
public sealed class CronSchedule
{
    private readonly CronExpression _expression;
    public string Expression { get; }
    public TimeZoneInfo Zone { get; }

    private CronSchedule(CronExpression expression, string text, TimeZoneInfo zone)
    {
        _expression = expression;
        Expression = text;
        Zone = zone;
    }

    /// <summary>"" or "off": the job has no schedule (on demand only).</summary>
    public static bool IsOff(string? cron) => string.IsNullOrWhiteSpace(cron) || string.Equals(cron.Trim(), "off", StringComparison.OrdinalIgnoreCase);

    public DateTimeOffset? NextAfter(DateTimeOffset instant) => _expression.GetNextValidTimeAfter(instant);

    public static bool TryParse(string cron, string? zoneId, [NotNullWhen(true)] out CronSchedule? schedule, [NotNullWhen(false)] out string? error)
    {
        schedule = null;
        if (!TryFindZone(zoneId, out var zone))
        {
            error = $"TimeZone '{zoneId}' is not a known time zone";
            return false;
        }
        var text = ToQuartz(cron.Trim());
        try
        {
            var expression = new CronExpression(text) { TimeZone = zone };
            schedule = new CronSchedule(expression, cron.Trim(), zone);
            error = null;
            return true;
        }
        catch (FormatException ex)
        {
            error = $"Cron '{cron}' is not a valid cron expression: {ex.Message}";
            return false;
        }
    }

    public static bool TryFindZone(string? id, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Local;
        if (string.IsNullOrWhiteSpace(id)) return true;
        return TimeZoneInfo.TryFindSystemTimeZoneById(id, out zone!);
    }

    /// <summary>
    /// Classic 5-field cron (minute first) becomes Quartz's form: a leading seconds field, and '?' in one of
    /// day-of-month / day-of-week, which Quartz requires.
    /// </summary>
    internal static string ToQuartz(string cron)
    {
        var fields = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5) return cron;
        string dom = fields[2], dow = fields[4];
        if (dow == "*") dow = "?";
        else if (dom == "*") dom = "?";
        return $"0 {fields[0]} {fields[1]} {dom} {fields[3]} {dow}";
    }
}
