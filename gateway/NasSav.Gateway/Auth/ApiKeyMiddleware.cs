using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Logging;
using NasSav.ServiceDefaults.Http;

namespace NasSav.Gateway.Auth;

/// <summary>
/// Every request except /health/live and /health/ready needs a valid API key unless it comes from an
/// anonymous network. A key is taken from <c>X-Api-Key</c>, <c>Authorization: Bearer</c>, or the
/// <c>nassav_api_key</c> cookie. The cookie exists for the unchanged web UI, which can set no header on its
/// XHRs, &lt;img&gt; tags or WebSocket: opening any UI page once with <c>?api_key=KEY</c> stores the key in an
/// HttpOnly, SameSite=Strict cookie and redirects to the same address without the key. Keys in query
/// strings are otherwise not accepted (they end up in logs and history).
/// </summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeyValidator validator, ILogger<ApiKeyMiddleware> log)
{
    public const string HeaderName = "X-Api-Key";
    public const string CookieName = "nassav_api_key";
    public const string QueryName = "api_key";
    public const string UnauthorizedMessage = "未授权: 缺少或无效的 API Key";
    /// <summary>HttpContext.Items key holding the client's identity ("key:xxxx" or "ip:addr") for rate limiting.</summary>
    public const string ClientKeyItem = "NasSav.Gateway.Client";

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (IsAlwaysOpen(request.Path))
        {
            await next(context);
            return;
        }

        var identity = validator.Identify(PresentedKey(request));
        if (identity is null && IsLoginLink(request) && validator.Identify(request.Query[QueryName]) is { } linked)
        {
            // A login link: remember the key in a cookie and take it out of the address bar.
            context.Response.Cookies.Append(CookieName, request.Query[QueryName].ToString(), new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = request.IsHttps,
                Path = "/",
                MaxAge = TimeSpan.FromDays(365),
                IsEssential = true,
            });
            var query = QueryString.Create(request.Query.Where(q => q.Key != QueryName).SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v))));
            context.Response.Redirect(UriHelper.BuildRelative(request.PathBase, request.Path, query));
            log.LogInformation("API key {Key} stored in a cookie by a login link", linked);
            return;
        }

        var remote = context.Connection.RemoteIpAddress;
        if (identity is null && !validator.IsAnonymous(remote))
        {
            log.LogInformation("401 for {Method} {Path} from {Remote}", request.Method, request.Path, remote);
            context.Response.Headers.WWWAuthenticate = "Bearer";
            if (LoginPage.Wanted(request)) await LoginPage.WriteAsync(context);
            else await ApiResults.WriteAsync(context, 401, UnauthorizedMessage);
            return;
        }

        context.Items[ClientKeyItem] = identity ?? "ip:" + (remote?.IsIPv4MappedToIPv6 == true ? remote.MapToIPv4() : remote);
        await next(context);
    }

    public static bool IsAlwaysOpen(PathString path) =>
        path.Equals("/health/live", StringComparison.OrdinalIgnoreCase) || path.Equals("/health/ready", StringComparison.OrdinalIgnoreCase);

    private static string? PresentedKey(HttpRequest request)
    {
        var header = request.Headers[HeaderName].ToString();
        if (!string.IsNullOrEmpty(header)) return header.Trim();
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return authorization[7..].Trim();
        return request.Cookies.TryGetValue(CookieName, out var cookie) && !string.IsNullOrEmpty(cookie) ? cookie : null;
    }

    private static bool IsLoginLink(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) && request.Query.ContainsKey(QueryName)
        && !ApiPipeline.IsApi(request.Path) && !request.Path.StartsWithSegments("/nassav/ws", StringComparison.OrdinalIgnoreCase);
}
