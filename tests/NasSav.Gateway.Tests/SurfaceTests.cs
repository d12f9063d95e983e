using Microsoft.AspNetCore.Builder;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;
using NasSav.Gateway.Tests.Support;

namespace NasSav.Gateway.Tests;

/// <summary>Static UI, CORS, options validation and the real host.</summary>
public sealed class SurfaceTests
{
    private static string MakeUi()
    {
        var root = Directory.CreateTempSubdirectory("nassav-ui-").FullName;
        File.WriteAllText(Path.Combine(root, "index.html"), "<!doctype html><title>NASSAV</title><div id=app></div>");
        Directory.CreateDirectory(Path.Combine(root, "assets"));
        File.WriteAllText(Path.Combine(root, "assets", "index-abc123.js"), "console.log('ui')");
        return root;
    }

    private static HttpRequestMessage Get(string path, string accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd(accept);
        return request;
    }

    [Fact]
    public async Task Static_ui_serves_files_and_index_for_deep_links_but_never_for_the_api()
    {
        var ui = MakeUi();
        try
        {
            await using var gateway = await GatewayServer.StartAsync(new Dictionary<string, string?> { ["Gateway:StaticUiPath"] = ui });
            using var client = gateway.CreateClient();
            const string html = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

            foreach (var path in new[] { "/", "/settings", "/resource/ABC-123", "/actors/12" })
            {
                using var page = await client.SendAsync(Get(path, html));
                Assert.Equal(HttpStatusCode.OK, page.StatusCode);
                Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
                Assert.Contains("<title>NASSAV</title>", await page.Content.ReadAsStringAsync());
            }

            using var asset = await client.GetAsync("/assets/index-abc123.js");
            Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
            Assert.Equal("console.log('ui')", await asset.Content.ReadAsStringAsync());
            Assert.Contains("immutable", asset.Headers.CacheControl?.ToString());

            using var api = await client.SendAsync(Get("/nassav/api/nope", html));
            var envelope = await Json.AssertEnvelopeAsync(api, 404);
            Assert.Contains("/nassav/api/nope", envelope.GetProperty("message").GetString());
            await Json.AssertEnvelopeAsync(await client.SendAsync(Get("/nassav/api/resources/", "application/json, text/plain, */*")), 404);

            Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(Get("/nassav/ws/other", html))).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(Get("/assets/missing.js", html))).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(Get("/settings", "application/json"))).StatusCode);
        }
        finally
        {
            Directory.Delete(ui, recursive: true);
        }
    }

    [Fact]
    public async Task Without_a_static_ui_our_ui_is_served_at_the_root_and_deep_paths_are_not_invented()
    {
        await using var gateway = await GatewayServer.StartAsync();
        using var client = gateway.CreateClient();
        using var response = await client.SendAsync(Get("/", "text/html"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("/ui/js/main.js", await response.Content.ReadAsStringAsync());
        // Our UI routes in the fragment (#/settings): a path such as /settings is nobody's page.
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(Get("/settings", "text/html"))).StatusCode);
    }

    [Fact]
    public async Task Cors_headers_only_for_configured_origins()
    {
        await using var upstream = await Upstream.StartAsync(app => app.MapGet("/nassav/api/{**rest}", () => Results.Json(new { code = 200 })));
        var settings = new Dictionary<string, string?>
        {
            ["Gateway:Routes:0:PathPrefix"] = "/nassav/api",
            ["Gateway:Routes:0:Destinations:0"] = upstream.Url,
        };
        await using (var closed = await GatewayServer.StartAsync(settings))
        {
            using var client = closed.CreateClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, "/nassav/api/resources/");
            request.Headers.Add("Origin", "http://localhost:9780");
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        }

        settings["Gateway:Cors:AllowedOrigins:0"] = "http://localhost:9780";
        settings["Gateway:AnonymousNetworks:0"] = "none"; // a preflight needs no key
        settings["Gateway:ApiKeys:0"] = "cors-key-0123456789abcdef";
        await using var open = await GatewayServer.StartAsync(settings);
        using var http = open.CreateClient();

        using var allowed = new HttpRequestMessage(HttpMethod.Get, "/nassav/api/resources/");
        allowed.Headers.Add("Origin", "http://localhost:9780");
        allowed.Headers.Add("X-Api-Key", "cors-key-0123456789abcdef");
        using var allowedResponse = await http.SendAsync(allowed);
        Assert.Equal(HttpStatusCode.OK, allowedResponse.StatusCode);
        Assert.Equal("http://localhost:9780", allowedResponse.Headers.GetValues("Access-Control-Allow-Origin").Single());

        using var other = new HttpRequestMessage(HttpMethod.Get, "/nassav/api/resources/");
        other.Headers.Add("Origin", "http://elsewhere.example");
        other.Headers.Add("X-Api-Key", "cors-key-0123456789abcdef");
        using var otherResponse = await http.SendAsync(other);
        Assert.False(otherResponse.Headers.Contains("Access-Control-Allow-Origin"));

        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/nassav/api/resource");
        preflight.Headers.Add("Origin", "http://localhost:9780");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type,x-api-key");
        using var preflightResponse = await http.SendAsync(preflight);
        Assert.Equal(HttpStatusCode.NoContent, preflightResponse.StatusCode);
        Assert.Equal("http://localhost:9780", preflightResponse.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Theory]
    [InlineData("Gateway:Routes:0:Destinations:0", "localhost:5101", "Gateway:Routes:0:Destinations:0")]
    [InlineData("Gateway:Routes:0:Destinations:0", "ftp://host/", "Gateway:Routes:0:Destinations:0")]
    [InlineData("Gateway:AnonymousNetworks:0", "10.0.0.0/33", "Gateway:AnonymousNetworks:0")]
    [InlineData("Gateway:ApiKeys:0", "short", "Gateway:ApiKeys:0")]
    [InlineData("Gateway:StaticUiPath", "/nonexistent/dist", "Gateway:StaticUiPath")]
    public async Task Bad_options_stop_the_start_with_the_key_named(string key, string value, string named)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Gateway:Routes:0:PathPrefix"] = "/nassav/api",
            ["Gateway:Routes:0:Destinations:0"] = "http://127.0.0.1:5101",
            [key] = value,
        };
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => GatewayServer.StartAsync(settings));
        Assert.Contains(named, error.Message);
    }

    [Fact]
    public async Task The_real_host_starts_and_answers_health()
    {
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Logging:Format", "simple");
            b.UseSetting("Logging:LogLevel:Default", "Warning");
            b.UseSetting("Bus:Transport", "InMemory");
        });
        using var client = factory.CreateClient();
        using var response = await client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // TestServer has no client address: not anonymous, so the API needs a key.
        await Json.AssertEnvelopeAsync(await client.GetAsync("/nassav/api/resources/"), 401);
    }
}
