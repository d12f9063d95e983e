using NasSav.Contracts.Scraping;

namespace NasSav.Scraper.Sources;

/// <summary>
/// The reference's answer for a source failure: 403 if any source refused, 404 if every attempt said
/// "not there" (not_found, parse_failed, wrong_page) or nothing was tried, else 502. Works on outcome
/// names, so no error text can ever break it.
/// </summary>
public static class SourceFailure
{
    private static readonly string[] NotThere = [SourceAttempt.NotFound, SourceAttempt.ParseFailed, SourceAttempt.WrongPage];

    public static int Code(IReadOnlyCollection<SourceAttempt> attempts) =>
        attempts.Any(a => a.Outcome == SourceAttempt.Forbidden) ? 403
        : attempts.All(a => NotThere.Contains(a.Outcome)) ? 404
        : 502;

    /// <summary>"MissAV:404, Jable:timeout": the HTTP code where there is one, else the outcome.</summary>
    public static string Label(SourceAttempt a) => a.Outcome switch
    {
        SourceAttempt.Forbidden => "403",
        SourceAttempt.NotFound => a.StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "404",
        SourceAttempt.HttpError when a.StatusCode is { } code => code.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => a.Outcome,
    };

    public static string Message(string avid, int code, IEnumerable<SourceAttempt> attempts)
    {
        var list = string.Join(", ", attempts.Select(a => $"{a.Source}:{Label(a)}"));
        return code == 403 ? $"访问{avid}被拒绝。{list}" : $"获取{avid}失败。{list}";
    }

    /// <summary>How telling an outcome is, to pick one per source among its page URLs.</summary>
    public static int Severity(string outcome) => outcome switch
    {
        SourceAttempt.Forbidden => 5,
        SourceAttempt.HttpError or SourceAttempt.Timeout or SourceAttempt.NetworkError => 4,
        SourceAttempt.WrongPage => 3,
        SourceAttempt.ParseFailed => 2,
        _ => 1,
    };
}
