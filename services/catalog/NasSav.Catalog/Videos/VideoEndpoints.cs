using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NasSav.Catalog.Http;
using NasSav.ServiceDefaults.Http;
using NasSav.Media.Storage;

namespace NasSav.Catalog.Videos;

/// <summary>
/// <c>GET|HEAD /resource/video?avid=</c> (ours): video/{AVID}.mp4 for an in-browser player, with byte ranges
/// (<c>Accept-Ranges</c>, 206, 416, If-Range) and conditional GET (ETag, Last-Modified, 304, 412). The file is read
/// through <see cref="IMediaStore"/> by key, so only a validated AVID's video can be reached, from any store.
/// </summary>
public static class VideoEndpoints
{
    public const string Path = ApiPipeline.ApiPrefix + "/resource/video";
    /// <summary>A delete or a new download replaces the file under the same URL: revalidate (a 304 or a 206 with If-Range).</summary>
    public const string CacheControl = "public, no-cache";

    public static IEndpointRouteBuilder MapVideoEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods(Path, [HttpMethods.Get, HttpMethods.Head], ServeAsync);
        return endpoints;
    }

    private static async Task<IResult> ServeAsync(HttpContext context, IMediaStore store, CancellationToken ct)
    {
        var response = context.Response;
        if (!AvidInput.TryFromQuery(context.Request, out var avid, out var error)) return error!;
        var key = MediaKey.Video(avid);
        var info = await store.GetInfoAsync(key, ct);
        if (info is null) return NotFound();

        var etag = ConditionalGet.FileETag(info.LastModified, info.Size);
        response.Headers.AcceptRanges = "bytes";
        response.Headers.CacheControl = CacheControl;
        if (ConditionalGet.PreconditionFailed(context, etag, info.LastModified))
            return ApiResults.Error(412, "视频已变更 (If-Match / If-Unmodified-Since 不满足)");
        if (ConditionalGet.IsNotModified(context, etag, info.LastModified)) return ConditionalGet.NotModified();

        var outcome = ByteRanges.Evaluate(context.Request, info.Size, etag, info.LastModified, out var range);
        if (outcome == RangeOutcome.Unsatisfiable)
        {
            response.Headers.ContentRange = $"bytes */{info.Size}";
            return ApiResults.Error(416, $"请求的范围无效: 视频 {avid} 共 {info.Size} 字节");
        }

        var stream = outcome == RangeOutcome.Partial
            ? await store.OpenReadAsync(key, range.Offset, range.Length, ct)
            : await store.OpenReadAsync(key, ct);
        if (stream is null) return NotFound(); // deleted after GetInfoAsync
        if (outcome == RangeOutcome.Partial) response.Headers.ContentRange = $"bytes {range.Offset}-{range.Last}/{info.Size}";
        response.Headers.ContentDisposition = $"inline; filename=\"{key.FileName}\"";
        return new VideoResult(stream, outcome == RangeOutcome.Partial ? StatusCodes.Status206PartialContent : StatusCodes.Status200OK, range.Length);

        IResult NotFound()
        {
            response.Headers.Remove("Accept-Ranges");
            response.Headers.Remove("Cache-Control");
            return ApiResults.Error(404, $"视频 {avid} 不存在");
        }
    }

    /// <summary>Streams the (sliced) file; a HEAD gets the same headers and no body.</summary>
    private sealed class VideoResult(Stream stream, int status, long length) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            await using (stream)
            {
                var response = context.Response;
                response.StatusCode = status;
                response.ContentType = "video/mp4";
                response.ContentLength = length;
                if (HttpMethods.IsHead(context.Request.Method)) return;
                await stream.CopyToAsync(response.Body, 64 * 1024, context.RequestAborted);
            }
        }
    }
}
