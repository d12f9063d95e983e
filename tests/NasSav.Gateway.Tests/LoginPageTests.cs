using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using NasSav.Gateway.Tests.Support;

namespace NasSav.Gateway.Tests;

/// <summary>With a key required, a browser opening the UI gets a login page that makes the login link; nothing else opens.</summary>
public sealed class LoginPageTests
{
    private const string Key = "ui-key-0123456789abcdef";
    private const string Html = "text/html,application/xhtml+xml,*/*;q=0.8";

    private static HttpRequestMessage Get(string path, string? accept = Html, string? cookie = null, string? language = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null) request.Headers.Accept.ParseAdd(accept);
        if (cookie is not null) request.Headers.Add("Cookie", cookie);
        if (language is not null) request.Headers.AcceptLanguage.ParseAdd(language);
        return request;
    }

    private static Task<GatewayServer> StartAsync() => GatewayServer.StartAsync(new Dictionary<string, string?>
    {
        ["Gateway:ApiKeys:0"] = Key,
        ["Gateway:AnonymousNetworks:0"] = "none",
    });

    [Fact]
    public async Task A_page_navigation_without_a_key_gets_a_401_login_form_in_the_browsers_language()
    {
        await using var gateway = await StartAsync();
        using var client = gateway.CreateClient();

        foreach (var path in new[] { "/", "/ui/" })
        {
            using var page = await client.SendAsync(Get(path));
            Assert.Equal(HttpStatusCode.Unauthorized, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            Assert.Equal("default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
                page.Headers.GetValues("Content-Security-Policy").Single());
            var html = await page.Content.ReadAsStringAsync();
            Assert.Contains("<form method=\"get\">", html);
            Assert.Contains("name=\"api_key\"", html);
            Assert.Contains("Sign in to NasSav", html);
            Assert.DoesNotContain("{{", html);
            Assert.DoesNotContain("role=\"alert\"", html);
            Assert.DoesNotContain("/ui/js/main.js", html); // the app itself is not handed out
        }

        using var chinese = await client.SendAsync(Get("/", language: "zh-CN,zh;q=0.9,en;q=0.8"));
        Assert.Contains("登录 NasSav", await chinese.Content.ReadAsStringAsync());

        using var refused = await client.SendAsync(Get("/ui/?api_key=not-the-key-at-all"));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("role=\"alert\"", await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Scripts_and_api_calls_keep_the_401_envelope_and_no_ui_file_is_open()
    {
        await using var gateway = await StartAsync();
        using var client = gateway.CreateClient();

        foreach (var path in new[] { "/ui/js/main.js", "/ui/css/app.css", "/ui/login.html" })
            await Json.AssertEnvelopeAsync(await client.SendAsync(Get(path, accept: "*/*")), 401);
        await Json.AssertEnvelopeAsync(await client.SendAsync(Get("/nassav/api/gateway/readiness")), 401);
        await Json.AssertEnvelopeAsync(await client.SendAsync(Get("/ui/", accept: null)), 401);
        using var post = new HttpRequestMessage(HttpMethod.Post, "/ui/");
        post.Headers.Accept.ParseAdd(Html);
        await Json.AssertEnvelopeAsync(await client.SendAsync(post), 401);
    }

    [Fact]
    public async Task The_login_link_from_the_form_sets_the_cookie_and_then_the_ui_and_api_open()
    {
        await using var gateway = await StartAsync();
        using var client = gateway.CreateClient();

        using var login = await client.SendAsync(Get($"/ui/?api_key={Key}"));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/ui/", login.Headers.Location?.OriginalString);
        var cookie = login.Headers.GetValues("Set-Cookie").Single().Split(';')[0];

        using var page = await client.SendAsync(Get("/ui/", cookie: cookie));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("/ui/js/main.js", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Get("/ui/js/main.js", accept: "*/*", cookie: cookie))).StatusCode);
        await Json.AssertEnvelopeAsync(await client.SendAsync(Get("/nassav/api/gateway/readiness", accept: "application/json", cookie: cookie)), 200);
    }
}
