using System.Globalization;
using Microsoft.AspNetCore.Http;
using NasSav.ServiceDefaults.Http;

namespace NasSav.Catalog.Http;

/// <summary>
/// Reads query parameters strictly: the first bad value is kept as a Chinese message naming the
/// parameter, so a handler answers 400 instead of crashing (the peer's int() gave HTML 500s) or
/// silently guessing (the peer read file_exists=maybe as false).
/// </summary>
public sealed class QueryReader(IQueryCollection query)
{
    public string? Error { get; private set; }

    public IResult ErrorResult => ApiResults.Error(400, Error ?? "请求参数无效");

    /// <summary>The trimmed value, or null when absent or blank (blank means "not given", as in a form).</summary>
    public string? String(string name)
    {
        var value = query[name].ToString().Trim();
        return value.Length == 0 ? null : value;
    }

    public int Int(string name, int fallback, int min = int.MinValue, int max = int.MaxValue)
    {
        var raw = String(name);
        if (raw is null) return fallback;
        if (!int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            return Fail(name, min == int.MinValue ? $"{name} 参数无效: '{raw}' 不是整数" : $"{name} 参数无效: '{raw}' 不是整数 (允许 {min}-{max})", fallback);
        if (value < min || value > max)
            return Fail(name, $"{name} 参数无效: 必须在 {min}-{max} 之间", fallback);
        return value;
    }

    /// <summary>
    /// Any integer, however many digits: beyond the int range it is clamped (a page past the end, a page size past
    /// the largest), never refused. Absent → fallback; not an integer → error.
    /// </summary>
    public int ClampedInt(string name, int fallback)
    {
        var raw = String(name);
        if (raw is null) return fallback;
        var digits = raw[0] is '+' or '-' ? raw.AsSpan(1) : raw.AsSpan();
        if (digits.Length == 0 || digits.IndexOfAnyExceptInRange('0', '9') >= 0)
            return Fail(name, $"{name} 参数无效: '{raw}' 不是整数", fallback);
        if (long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            return (int)Math.Clamp(value, int.MinValue, int.MaxValue);
        return raw[0] == '-' ? int.MinValue : int.MaxValue;
    }

    /// <summary>An optional integer (ids): absent → null; not an integer → error.</summary>
    public long? Long(string name)
    {
        var raw = String(name);
        if (raw is null) return null;
        if (long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)) return value;
        Fail(name, $"{name} 参数无效: '{raw}' 不是整数", 0);
        return null;
    }

    /// <summary>1/true/yes and 0/false/no (any case); absent → null; anything else is an error.</summary>
    public bool? Flag(string name)
    {
        var raw = String(name);
        if (raw is null) return null;
        switch (raw.ToLowerInvariant())
        {
            case "1" or "true" or "yes": return true;
            case "0" or "false" or "no": return false;
            default:
                Fail(name, $"{name} 参数无效: '{raw}'，支持 true|false|1|0|yes|no", 0);
                return null;
        }
    }

    /// <summary>One of <paramref name="allowed"/> (case-insensitive, returned lower-cased) or the fallback when absent.</summary>
    public string Choice(string name, string fallback, params string[] allowed)
    {
        var raw = String(name);
        if (raw is null) return fallback;
        var lower = raw.ToLowerInvariant();
        if (allowed.Contains(lower)) return lower;
        return Fail(name, $"{name} 参数无效: '{raw}'，支持 {string.Join('|', allowed)}", fallback);
    }

    /// <summary>Records a problem found by the caller (the first one is reported).</summary>
    public void Reject(string message) => Error ??= message;

    private T Fail<T>(string name, string message, T fallback)
    {
        _ = name;
        Reject(message);
        return fallback;
    }
}
