using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace NasSav.Catalog.Http;

/// <summary>
/// Conditional GET done right (RFC 9110 §13.2.2): If-None-Match decides whenever it is present
/// (weak comparison, lists and * understood); If-Modified-Since is consulted only without it. The
/// peer fell through to If-Modified-Since after a failed ETag match and served stale data.
/// </summary>
public static class ConditionalGet
{
    /// <summary>Sets ETag and Last-Modified; returns true when the client's copy is current (answer 304).</summary>
    public static bool IsNotModified(HttpContext context, string etag, DateTimeOffset lastModified)
    {
        var response = context.Response;
        response.Headers.ETag = etag;
        response.Headers.LastModified = HeaderUtilities.FormatDate(TruncateToSeconds(lastModified));

        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)) return false;

        var ifNoneMatch = request.Headers.IfNoneMatch;
        if (ifNoneMatch.Count > 0)
        {
            var current = EntityTagHeaderValue.Parse(etag);
            if (!EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags)) return false;
            return tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(current, useStrongComparison: false));
        }

        var ifModifiedSince = request.Headers.IfModifiedSince.ToString();
        if (ifModifiedSince.Length > 0 && HeaderUtilities.TryParseDate(ifModifiedSince, out var since))
            return TruncateToSeconds(lastModified) <= since;
        return false;
    }

    /// <summary>
    /// If-Match / If-Unmodified-Since (RFC 9110 §13.2.2, steps 1-2): true when the client made its request depend
    /// on a version of the file that is no longer current (answer 412). If-Match uses strong comparison.
    /// </summary>
    public static bool PreconditionFailed(HttpContext context, string etag, DateTimeOffset lastModified)
    {
        var request = context.Request;
        var ifMatch = request.Headers.IfMatch;
        if (ifMatch.Count > 0)
        {
            var current = EntityTagHeaderValue.Parse(etag);
            if (!EntityTagHeaderValue.TryParseList(ifMatch, out var tags)) return true;
            return !tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(current, useStrongComparison: true));
        }
        var ifUnmodifiedSince = request.Headers.IfUnmodifiedSince.ToString();
        return ifUnmodifiedSince.Length > 0 && HeaderUtilities.TryParseDate(ifUnmodifiedSince, out var since)
               && TruncateToSeconds(lastModified) > since;
    }

    /// <summary>HTTP dates have one-second resolution.</summary>
    public static DateTimeOffset TruncateToSeconds(DateTimeOffset t) =>
        new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);

    public static IResult NotModified() => Results.StatusCode(StatusCodes.Status304NotModified);

    /// <summary>Strong ETag from a file's modification time and size (the peer's "{mtime_ns}-{size}").</summary>
    public static string FileETag(DateTimeOffset lastModified, long size) =>
        "\"" + (lastModified.UtcTicks * 100).ToString(CultureInfo.InvariantCulture) + "-" + size.ToString(CultureInfo.InvariantCulture) + "\"";
}
