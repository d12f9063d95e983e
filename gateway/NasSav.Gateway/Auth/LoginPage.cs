using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;
using NasSav.Gateway.Ui;
using NasSav.ServiceDefaults.Http;

namespace NasSav.Gateway.Auth;

/// <summary>
/// The 401 a browser gets when it opens a page without a key: a small form that asks for the key and submits it
/// as the existing login link (<c>?api_key=</c>, turned into the HttpOnly cookie by <see cref="ApiKeyMiddleware"/>).
/// Only for page navigations (GET asking for HTML, outside the API and the WebSocket); scripts and API calls keep
/// the 401 envelope. The page holds no data and lets nothing through: it only helps to make the login link.
/// </summary>
public static class LoginPage
{
    private const string Template = "login.html";

    private static readonly Dictionary<string, string> English = new()
    {
        ["lang"] = "en",
        ["title"] = "NasSav: sign in",
        ["heading"] = "Sign in to NasSav",
        ["prompt"] = "This NasSav asks for an API key (Gateway:ApiKeys) from your network. The key is kept in a cookie of this browser.",
        ["label"] = "API key",
        ["button"] = "Sign in",
        ["error"] = "That key is not valid.",
    };

    private static readonly Dictionary<string, string> Chinese = new()
    {
        ["lang"] = "zh-CN",
        ["title"] = "NasSav：登录",
        ["heading"] = "登录 NasSav",
        ["prompt"] = "此 NasSav 要求来自你所在网络的请求提供 API Key (Gateway:ApiKeys)。Key 会保存在此浏览器的 Cookie 中。",
        ["label"] = "API Key",
        ["button"] = "登录",
        ["error"] = "该 Key 无效。",
    };

    public static bool Wanted(HttpRequest request)
    {
        if (!HttpMethods.IsGet(request.Method) || ApiPipeline.IsApi(request.Path)
            || request.Path.StartsWithSegments("/nassav/ws", StringComparison.OrdinalIgnoreCase)) return false;
        return MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var types)
               && types.Any(t => t.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));
    }

    public static async Task WriteAsync(HttpContext context)
    {
        var template = context.RequestServices.GetService<UiAssets>()?.Find(Template);
        var texts = PrefersChinese(context.Request) ? Chinese : English;
        var html = new StringBuilder(template is null ? "<!doctype html><title>401</title><p>{{prompt}}</p>" : Encoding.UTF8.GetString(template.Content));
        foreach (var (key, value) in texts)
            html.Replace("{{" + key + "}}", key == "error" ? "" : WebUtility.HtmlEncode(value));
        // A login link that was tried and refused: say so.
        html.Replace("<!--error-->", context.Request.Query.ContainsKey(ApiKeyMiddleware.QueryName)
            ? $"<p class=\"error\" role=\"alert\">{WebUtility.HtmlEncode(texts["error"])}</p>" : "");

        var response = context.Response;
        response.StatusCode = StatusCodes.Status401Unauthorized;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers.ContentSecurityPolicy = UiEndpoints.LoginContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        await response.WriteAsync(html.ToString(), context.RequestAborted);
    }

    private static bool PrefersChinese(HttpRequest request) =>
        StringWithQualityHeaderValue.TryParseList(request.Headers.AcceptLanguage, out var languages)
        && languages.OrderByDescending(l => l.Quality ?? 1).FirstOrDefault() is { } first
        && first.Value.StartsWith("zh", StringComparison.OrdinalIgnoreCase);
}
