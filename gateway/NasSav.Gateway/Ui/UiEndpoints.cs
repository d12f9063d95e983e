using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace NasSav.Gateway.Ui;

/// <summary>
/// Our web UI: always under <c>/ui/</c>, and at <c>/</c> too unless <c>Gateway:StaticUiPath</c> gives the root to
/// NASSAV's UI. It is a client of the public REST API and the task WebSocket like any other (hash routes, so no
/// deep-link fallback is needed), and sits behind the gateway's API-key auth like everything else.
/// </summary>
public static class UiEndpoints
{
    public const string Prefix = "/ui";

    /// <summary>Only our own origin: scripts and styles from our files, images and video from the API, the WebSocket.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self'; " +
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    /// <summary>The login page (a 401) cannot fetch our stylesheet without a key, so its style is inline.</summary>
    public const string LoginContentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    public static IServiceCollection AddUi(this IServiceCollection services) => services.AddSingleton(_ => UiAssets.Load());

    public static IEndpointRouteBuilder MapUi(this IEndpointRouteBuilder endpoints, GatewayOptions options)
    {
        string[] methods = [HttpMethods.Get, HttpMethods.Head];
        // Routing matches /ui/ to this template too: only the bare /ui is sent on to /ui/ (relative links need the slash).
        endpoints.MapMethods(Prefix, methods, (HttpContext context, UiAssets assets) =>
            context.Request.Path.Value!.EndsWith('/')
                ? Serve(context, assets.Find(""))
                : Results.Redirect(context.Request.PathBase + Prefix + "/" + context.Request.QueryString)).ExcludeFromDescription();
        endpoints.MapMethods(Prefix + "/{**path}", methods, (string? path, HttpContext context, UiAssets assets) =>
            Serve(context, assets.Find(path ?? ""))).ExcludeFromDescription();
        if (string.IsNullOrWhiteSpace(options.StaticUiPath))
            endpoints.MapMethods("/", methods, (HttpContext context, UiAssets assets) => Serve(context, assets.Find(""))).ExcludeFromDescription();
        return endpoints;
    }

    internal static IResult Serve(HttpContext context, UiAssets.Asset? asset, int status = StatusCodes.Status200OK)
    {
        if (asset is null) return Results.NotFound();
        var headers = context.Response.Headers;
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        if (asset.ContentType.StartsWith("text/html", StringComparison.Ordinal))
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
        if (status == StatusCodes.Status200OK && IsCurrent(context.Request, asset.ETag))
            return Results.StatusCode(StatusCodes.Status304NotModified);
        return new AssetResult(asset, status);
    }

    private static bool IsCurrent(HttpRequest request, string etag) =>
        EntityTagHeaderValue.TryParseList(request.Headers.IfNoneMatch, out var tags)
        && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Tag == etag);

    private sealed class AssetResult(UiAssets.Asset asset, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = asset.ContentType;
            context.Response.ContentLength = asset.Content.Length;
            return HttpMethods.IsHead(context.Request.Method)
                ? Task.CompletedTask
                : context.Response.Body.WriteAsync(asset.Content, context.RequestAborted).AsTask();
        }
    }
}
