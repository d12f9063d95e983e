using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NasSav.Gateway.Auth;
using NasSav.ServiceDefaults.Http;

namespace NasSav.Gateway.RateLimiting;

/// <summary>
/// Mutating API calls (POST/PUT/PATCH/DELETE under /nassav/api) are limited per client: per API key when one
/// was presented, else per client IP, in fixed one-minute windows. Reads, the WebSocket and the UI are not.
/// </summary>
public static class GatewayRateLimiting
{
    public const string RejectedMessage = "请求过于频繁，请稍后再试";

    public static IServiceCollection AddGatewayRateLimiting(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<GatewayOptions>>((o, gateway) =>
        {
            var permits = gateway.Value.RateLimit.PermitsPerMinute;
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                permits > 0 && IsLimited(context.Request)
                    ? RateLimitPartition.GetFixedWindowLimiter(ClientOf(context), _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = permits,
                        Window = TimeSpan.FromMinutes(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    })
                    : RateLimitPartition.GetNoLimiter(""));
            o.OnRejected = async (rejected, token) =>
            {
                var context = rejected.HttpContext;
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(60);
                context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await ApiResults.WriteAsync(context, StatusCodes.Status429TooManyRequests, RejectedMessage);
            };
        });
        return services;
    }

    private static bool IsLimited(HttpRequest request) =>
        (HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method)
         || HttpMethods.IsDelete(request.Method))
        && ApiPipeline.IsApi(request.Path);

    private static string ClientOf(HttpContext context) =>
        context.Items[ApiKeyMiddleware.ClientKeyItem] as string ?? "ip:" + context.Connection.RemoteIpAddress;
}
