using System.Diagnostics;

namespace NasSav.Testing;

/// <summary>
/// Checks observed request times against a rate limit of <c>burst</c> back to back plus <c>perMinute</c>:
/// in any window of length W at most burst + W × rate requests. An upper bound on behaviour, not a timing
/// target: <c>slack</c> absorbs the delay between a grant and its observation (scheduling, HTTP), which
/// can only make two observed requests look closer than their grants were.
/// </summary>
public static class RateBound
{
    /// <summary>Null when every window is within the bound; else the worst window, described.</summary>
    public static string? Violation(IEnumerable<long> stopwatchTimestamps, double perMinute, int burst, TimeSpan slack)
    {
        var times = stopwatchTimestamps.Order().ToList();
        var interval = TimeSpan.FromMinutes(1 / perMinute);
        // Requests i..j (j - i + 1 of them) need j - i + 1 - burst intervals between the first and the last.
        for (var i = 0; i < times.Count; i++)
            for (var j = i + burst; j < times.Count; j++)
            {
                var span = Stopwatch.GetElapsedTime(times[i], times[j]);
                var needed = interval * (j - i + 1 - burst) - slack;
                if (span < needed)
                    return $"{j - i + 1} requests within {span.TotalMilliseconds:0} ms (requests {i}..{j} of {times.Count}); " +
                           $"{perMinute}/min with burst {burst} allows that many only over {(interval * (j - i + 1 - burst)).TotalMilliseconds:0} ms " +
                           $"(slack {slack.TotalMilliseconds:0} ms). Offsets (ms): " +
                           string.Join(", ", times.Select(t => Stopwatch.GetElapsedTime(times[0], t).TotalMilliseconds.ToString("0")));
            }
        return null;
    }
}
