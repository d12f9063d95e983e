using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace NasSav.Gateway.Forwarding;

/// <summary>
/// What YARP's defaults leave to us: the request target byte for byte, X-Forwarded-* appended to what the client
/// sent, and the headers a message names in its own Connection header dropped both ways.
/// </summary>
internal static class ForwardingTransforms
{
    public static void Apply(TransformBuilderContext context)
    {
        context.AddXForwarded(ForwardedTransformActions.Append);
        context.AddRequestTransform(transform =>
        {
            var http = transform.HttpContext;
            // The raw target keeps path and query exactly as sent (YARP would re-encode the decoded path, %2F included).
            var raw = http.Features.Get<IHttpRequestFeature>()?.RawTarget;
            if (raw is { Length: > 0 } && raw[0] == '/')
                transform.ProxyRequest.RequestUri = DestinationUri(transform.DestinationPrefix, raw);

            var skip = HopByHopHeaders.For(http.Request.Headers.Connection);
            foreach (var name in transform.ProxyRequest.Headers.Select(h => h.Key).Where(skip).ToList())
                transform.ProxyRequest.Headers.Remove(name);
            return ValueTask.CompletedTask;
        });
        context.AddResponseTransform(transform =>
        {
            if (transform.ProxyResponse is null) return ValueTask.CompletedTask;
            var connection = transform.ProxyResponse.Headers.NonValidated.TryGetValues("Connection", out var values) ? values : default;
            var skip = HopByHopHeaders.For(connection);
            var headers = transform.HttpContext.Response.Headers;
            foreach (var name in headers.Keys.Where(skip).ToList()) headers.Remove(name);
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>The destination's base path followed by the origin-form target.</summary>
    private static Uri DestinationUri(string destinationPrefix, string target)
    {
        var destination = new Uri(destinationPrefix, UriKind.Absolute);
        return new Uri(destination.GetLeftPart(UriPartial.Authority) + destination.AbsolutePath.TrimEnd('/') + target, UriKind.Absolute);
    }
}
