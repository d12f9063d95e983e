using Microsoft.AspNetCore.Http;
using NasSav.Media.Storage;

namespace NasSav.Catalog.Http;

/// <summary>
/// Streams a stored file (covers, thumbnails, avatars) with ETag, Last-Modified and optional
/// Cache-Control on every 200 and 304, conditional GET per <see cref="ConditionalGet"/>, and HEAD.
/// </summary>
public static class MediaFileResults
{
    /// <returns>The answer, or null when the file vanished after <paramref name="info"/> was read (the caller answers 404).</returns>
    public static async Task<IResult?> ServeAsync(HttpContext context, IMediaStore store, MediaInfo info,
        string? cacheControl = null, string? contentDisposition = null, CancellationToken ct = default)
    {
        var response = context.Response;
        if (cacheControl is not null) response.Headers.CacheControl = cacheControl;
        if (ConditionalGet.IsNotModified(context, ConditionalGet.FileETag(info.LastModified, info.Size), info.LastModified))
            return ConditionalGet.NotModified();

        var stream = await store.OpenReadAsync(info.Key, ct);
        if (stream is null)
        {
            response.Headers.Remove("ETag");
            response.Headers.Remove("Last-Modified");
            response.Headers.Remove("Cache-Control");
            return null;
        }

        var contentType = info.Key.ContentType;
        if (contentDisposition is not null) response.Headers.ContentDisposition = contentDisposition;
        if (HttpMethods.IsHead(context.Request.Method))
        {
            response.ContentLength = stream.CanSeek ? stream.Length : info.Size;
            await stream.DisposeAsync();
            return new HeadResult(contentType);
        }
        // The result disposes the stream after copying it to the response.
        return Results.Stream(stream, contentType);
    }

    private sealed class HeadResult(string contentType) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status200OK;
            httpContext.Response.ContentType = contentType;
            return Task.CompletedTask;
        }
    }
}
