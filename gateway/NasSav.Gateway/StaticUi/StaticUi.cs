using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace NasSav.Gateway.StaticUi;

/// <summary>
/// A built SPA (Gateway:StaticUiPath) on the same origin as the API: its files as they are, and index.html
/// for any other GET that asks for HTML (history-mode deep links such as /settings). Paths under
/// /nassav/api, /nassav/ws, /health and /openapi never get index.html: the API answers its 404 envelope.
/// </summary>
public static class StaticUi
{
    private static readonly string[] NeverFallBack = ["/nassav/api", "/nassav/ws", "/health", "/openapi"];

    public static IApplicationBuilder UseGatewayStaticUi(this IApplicationBuilder app, GatewayOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.StaticUiPath)) return app;
        var provider = new PhysicalFileProvider(Path.GetFullPath(options.StaticUiPath));
        return app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = provider,
            OnPrepareResponse = file =>
            {
                // Vite puts content hashes in assets/ names: cache them for good; everything else revalidates.
                file.Context.Response.Headers.CacheControl = file.Context.Request.Path.StartsWithSegments("/assets")
                    ? "public, max-age=31536000, immutable"
                    : "no-cache";
            },
        });
    }

    /// <summary>The SPA fallback when NASSAV's UI is configured (otherwise <c>/</c> is ours: Ui/UiEndpoints).</summary>
    public static IEndpointRouteBuilder MapGatewayStaticUi(this IEndpointRouteBuilder endpoints, GatewayOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.StaticUiPath)) return endpoints;
        var index = Path.Combine(Path.GetFullPath(options.StaticUiPath), "index.html");
        endpoints.MapFallback("{*path:nonfile}", async context =>
            {
                if (!WantsIndex(context.Request))
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return;
                }
                context.Response.ContentType = "text/html; charset=utf-8";
                context.Response.Headers.CacheControl = "no-cache";
                if (HttpMethods.IsHead(context.Request.Method))
                {
                    context.Response.ContentLength = new FileInfo(index).Length;
                    return;
                }
                await context.Response.SendFileAsync(index, context.RequestAborted);
            })
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head]))
            .WithDisplayName("SPA fallback");
        return endpoints;
    }

    private static bool WantsIndex(HttpRequest request)
    {
        foreach (var prefix in NeverFallBack)
            if (request.Path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase)) return false;
        var accept = request.Headers.Accept;
        if (StringValues.IsNullOrEmpty(accept)) return true;
        if (!MediaTypeHeaderValue.TryParseList(accept, out var types)) return false;
        if (types.Count == 1 && types[0].MediaType == "*/*") return true;
        return types.Any(t => t.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase)
                              || t.MediaType.Equals("application/xhtml+xml", StringComparison.OrdinalIgnoreCase));
    }
}
