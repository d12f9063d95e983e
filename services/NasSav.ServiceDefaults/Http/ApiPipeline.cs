using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace NasSav.ServiceDefaults.Http;

/// <summary>
/// Errors are answers: every failure under /nassav/api leaves as the envelope with its HTTP status,
/// never an HTML page, a DRF-style {"detail"} or an empty body. JSON answers there are never reused
/// by a browser without revalidation.
/// </summary>
public static class ApiPipeline
{
    public const string ApiPrefix = "/nassav/api";
    /// <summary>The largest request body we read (the peer had none; 1 MiB is plenty for every JSON we take).</summary>
    public const long MaxJsonBodyBytes = 1024 * 1024;

    /// <summary>Trailing-slash tolerance, then routing (explicit, so the path rewrite counts). Call after UseNasSavErrorEnvelope.</summary>
    public static IApplicationBuilder UseNasSavApi(this IApplicationBuilder app)
    {
        app.UseTrailingSlashTolerance();
        app.UseRouting();
        return app;
    }

    /// <summary>
    /// Errors as the envelope (see the class), and every JSON answer under /nassav/api marked
    /// <c>Cache-Control: no-cache</c> unless its endpoint chose a policy (media files do).
    /// </summary>
    public static IApplicationBuilder UseNasSavErrorEnvelope(this IApplicationBuilder app)
    {
        app.Use(async (context, next) =>
        {
            if (IsApi(context.Request.Path)) context.Response.OnStarting(MarkRevalidate, context.Response);
            try
            {
                await next(context);
            }
            catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
            {
                var code = ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? 413 : 400;
                await ApiResults.WriteAsync(context, code, code == 413 ? "请求体过大" : $"请求无效: {ex.Message}");
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The client left; nothing to answer.
            }
            catch (Exception ex) when (!context.Response.HasStarted)
            {
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("NasSav.Api")
                    .LogError(ex, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
                await ApiResults.WriteAsync(context, 500, "服务器内部错误");
            }

            if (!context.Response.HasStarted && context.Response.ContentLength is null && context.Response.ContentType is null
                && context.Response.StatusCode is 404 or 405 && IsApi(context.Request.Path))
            {
                await ApiResults.WriteAsync(context, context.Response.StatusCode,
                    context.Response.StatusCode == 404 ? $"接口不存在: {context.Request.Path}" : $"不支持的请求方法: {context.Request.Method}");
            }
        });
        return app;
    }

    /// <summary>
    /// Without Cache-Control a browser may reuse an answer that has Last-Modified without asking (heuristic
    /// freshness), so the NASSAV UI showed a video as downloaded after it was deleted. no-cache keeps answers
    /// storable but revalidated on every use: the ETag/If-None-Match path still answers 304 when nothing changed.
    /// </summary>
    private static Task MarkRevalidate(object state)
    {
        var response = (HttpResponse)state;
        if (!response.Headers.ContainsKey(Microsoft.Net.Http.Headers.HeaderNames.CacheControl) && IsJson(response.ContentType))
            response.Headers.CacheControl = "no-cache";
        return Task.CompletedTask;
    }

    private static bool IsJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType)) return false;
        var mediaType = contentType.Split(';', 2)[0].Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
               || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The peer only had trailing slashes on resources/, actors/ and genres/ and 301/404'd the other
    /// form; we accept both by routing everything without the slash.
    /// </summary>
    public static IApplicationBuilder UseTrailingSlashTolerance(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var path = context.Request.Path.Value;
            if (path is { Length: > 1 } && path.EndsWith('/') && IsApi(context.Request.Path))
                context.Request.Path = new PathString(path.TrimEnd('/'));
            return next(context);
        });

    public static bool IsApi(PathString path) => path.StartsWithSegments(ApiPrefix, StringComparison.OrdinalIgnoreCase);
}
