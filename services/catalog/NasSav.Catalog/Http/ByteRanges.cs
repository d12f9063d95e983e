using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace NasSav.Catalog.Http;

/// <summary>What a request's Range (and If-Range) asks of a file of a known size.</summary>
public enum RangeOutcome { Full, Partial, Unsatisfiable }

/// <summary>A slice of a file: <see cref="Offset"/> … <see cref="Last"/>, <see cref="Length"/> bytes.</summary>
public readonly record struct ByteRange(long Offset, long Length)
{
    public long Last => Offset + Length - 1;
}

/// <summary>
/// RFC 9110 §14 for one representation: a single <c>bytes</c> range (first-last, first-, or -suffix) gives a 206;
/// one that starts past the end a 416; anything the server may ignore (a malformed header, another unit, several
/// ranges, a failed If-Range) the whole file. Players and browsers only ever send one range.
/// </summary>
public static class ByteRanges
{
    public static RangeOutcome Evaluate(HttpRequest request, long size, string etag, DateTimeOffset lastModified, out ByteRange range)
    {
        range = new ByteRange(0, size);
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)) return RangeOutcome.Full;
        var header = request.Headers.Range;
        if (header.Count == 0) return RangeOutcome.Full;
        if (!IfRangeHolds(request, etag, lastModified)) return RangeOutcome.Full;
        if (header.Count != 1 || !RangeHeaderValue.TryParse(header.ToString(), out var parsed)
            || !parsed.Unit.Equals("bytes", StringComparison.OrdinalIgnoreCase) || parsed.Ranges.Count != 1)
            return RangeOutcome.Full;

        var item = parsed.Ranges.Single();
        if (item.From is { } from)
        {
            if (item.To is { } to && to < from) return RangeOutcome.Full; // invalid syntax: ignored, as the RFC says
            if (from >= size) return RangeOutcome.Unsatisfiable;
            var last = item.To is { } end && end < size ? end : size - 1;
            range = new ByteRange(from, last - from + 1);
            return RangeOutcome.Partial;
        }
        if (item.To is not { } suffix) return RangeOutcome.Full;
        if (suffix == 0 || size == 0) return RangeOutcome.Unsatisfiable;
        var offset = Math.Max(0, size - suffix);
        range = new ByteRange(offset, size - offset);
        return RangeOutcome.Partial;
    }

    /// <summary>
    /// If-Range: the range applies only to the representation the client already holds part of; an entity tag must
    /// match strongly, a date exactly (a weak tag or an unparsable value never matches: the client gets the whole file).
    /// </summary>
    private static bool IfRangeHolds(HttpRequest request, string etag, DateTimeOffset lastModified)
    {
        var raw = request.Headers.IfRange;
        if (raw.Count == 0) return true;
        if (raw.Count != 1 || !RangeConditionHeaderValue.TryParse(raw.ToString(), out var condition)) return false;
        if (condition.EntityTag is { } tag)
            return !tag.IsWeak && tag.Compare(EntityTagHeaderValue.Parse(etag), useStrongComparison: true);
        return condition.LastModified is { } date && date == ConditionalGet.TruncateToSeconds(lastModified);
    }
}
