using Microsoft.AspNetCore.Builder;
using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using NasSav.Gateway.Tests.Support;

namespace NasSav.Gateway.Tests;

public sealed class AuthTests
{
    private const string Key = "test-key-0123456789abcdef";
    private const string Unauthorized = "未授权: 缺少或无效的 API Key";

    private static async Task<(Upstream, GatewayServer)> StartAsync(bool anonymousLoopback = false, IDictionary<string, string?>? extra = null)
    {
        var upstream = await Upstream.StartAsync(app =>
            app.MapMethods("/nassav/api/{**rest}", ["GET", "POST", "DELETE"], (HttpContext c) => Results.Json(new { code = 200, message = "success", data = c.Request.Path.Value })));
        var settings = new Dictionary<string, string?>
        {
            ["Gateway:Routes:0:PathPrefix"] = "/nassav/api",
            ["Gateway:Routes:0:Destinations:0"] = upstream.Url,
            ["Gateway:ApiKeys:0"] = Key,
        };
        if (!anonymousLoopback) settings["Gateway:AnonymousNetworks:0"] = "none";
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) settings[k] = v;
        return (upstream, await GatewayServer.StartAsync(settings));
    }

    [Fact]
    public async Task Without_a_key_from_a_non_anonymous_network_the_answer_is_401_envelope()
    {
        var (upstream, gateway) = await StartAsync();
        await using var _ = upstream;
        await using var __ = gateway;
        using var client = gateway.CreateClient();

        using var missing = await client.GetAsync("/nassav/api/resources/");
        await Json.AssertEnvelopeAsync(missing, 401, Unauthorized);

        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/nassav/api/resources/");
        wrong.Headers.Add("X-Api-Key", Key + "x");
        await Json.AssertEnvelopeAsync(await client.SendAsync(wrong), 401, Unauthorized);

        using var query = await client.GetAsync($"/nassav/api/resources/?api_key={Key}");
        await Json.AssertEnvelopeAsync(query, 401, Unauthorized); // keys in API query strings are not accepted
        Assert.Equal(0, upstream.Requests);

        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(gateway.WebSocketUri(), CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, socket.HttpStatusCode);
    }

    [Fact]
    public async Task Valid_key_in_header_bearer_or_cookie_is_accepted_and_health_is_always_open()
    {
        var (upstream, gateway) = await StartAsync();
        await using var _ = upstream;
        await using var __ = gateway;
        using var client = gateway.CreateClient();

        using var header = new HttpRequestMessage(HttpMethod.Get, "/nassav/api/resources/");
        header.Headers.Add("X-Api-Key", Key);
        await Json.AssertEnvelopeAsync(await client.SendAsync(header), 200);

        using var bearer = new HttpRequestMessage(HttpMethod.Get, "/nassav/api/genres/");
        bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        await Json.AssertEnvelopeAsync(await client.SendAsync(bearer), 200);

        using var cookie = new HttpRequestMessage(HttpMethod.Get, "/nassav/api/actors/");
        cookie.Headers.Add("Cookie", $"nassav_api_key={Key}");
        await Json.AssertEnvelopeAsync(await client.SendAsync(cookie), 200);
        Assert.Equal(3, upstream.Requests);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);

        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("X-Api-Key", Key);
        await socket.ConnectAsync(gateway.WebSocketUri(), CancellationToken.None);
        Assert.Equal("queue_status", (await socket.ReceiveAsync()).GetProperty("type").GetString());
        socket.Dispose();
    }

    [Fact]
    public async Task A_login_link_stores_the_key_in_a_cookie_and_strips_it_from_the_address()
    {
        var (upstream, gateway) = await StartAsync();
        await using var _ = upstream;
        await using var __ = gateway;
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync($"/settings?tab=1&api_key={Key}");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/settings?tab=1", response.Headers.Location!.OriginalString);
        var setCookie = response.Headers.GetValues("Set-Cookie").Single();
        Assert.StartsWith($"nassav_api_key={Key}", setCookie);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);

        using var bad = await client.GetAsync("/settings?api_key=nope");
        await Json.AssertEnvelopeAsync(bad, 401, Unauthorized);
    }

    [Fact]
    public async Task Loopback_is_anonymous_by_default()
    {
        var (upstream, gateway) = await StartAsync(anonymousLoopback: true);
        await using var _ = upstream;
        await using var __ = gateway;
        using var client = gateway.CreateClient();
        await Json.AssertEnvelopeAsync(await client.GetAsync("/nassav/api/resources/"), 200);
    }

    [Fact]
    public async Task Mutating_requests_over_the_limit_get_429_envelope_with_retry_after()
    {
        var (upstream, gateway) = await StartAsync(anonymousLoopback: true, new Dictionary<string, string?>
        {
            ["Gateway:RateLimit:PermitsPerMinute"] = "3",
        });
        await using var _ = upstream;
        await using var __ = gateway;
        using var client = gateway.CreateClient();

        for (var i = 0; i < 3; i++)
            await Json.AssertEnvelopeAsync(await client.PostAsync("/nassav/api/resource", Json.Body(new { avid = $"A-{i}" })), 200);
        using var limited = await client.DeleteAsync("/nassav/api/resource/A-1");
        await Json.AssertEnvelopeAsync(limited, 429, "请求过于频繁，请稍后再试");
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After in seconds");
        Assert.Equal(3, upstream.Requests);

        // Reads are not limited, and another client (key) has its own budget.
        await Json.AssertEnvelopeAsync(await client.GetAsync("/nassav/api/resources/"), 200);
        using var withKey = new HttpRequestMessage(HttpMethod.Post, "/nassav/api/resource") { Content = Json.Body(new { avid = "B-1" }) };
        withKey.Headers.Add("X-Api-Key", Key);
        await Json.AssertEnvelopeAsync(await client.SendAsync(withKey), 200);
    }
}
