using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using NasSav.Gateway.Tests.Support;

namespace NasSav.Gateway.Tests;

/// <summary>GET /nassav/api/gateway/readiness: this host's checks and every upstream's /health/ready, asked now.</summary>
public sealed class ReadinessTests
{
    [Fact]
    public async Task Without_routes_it_is_this_hosts_checks_and_no_upstream()
    {
        await using var gateway = await GatewayServer.StartAsync();
        using var client = gateway.CreateClient();

        var data = (await Json.AssertEnvelopeAsync(await client.GetAsync("/nassav/api/gateway/readiness"), 200)).GetProperty("data");

        Assert.Equal("Healthy", data.GetProperty("host").GetProperty("status").GetString());
        Assert.True(data.GetProperty("host").GetProperty("checks").EnumerateObject().Any());
        Assert.Equal(0, data.GetProperty("upstreams").GetArrayLength());
    }

    [Fact]
    public async Task Each_upstream_is_asked_once_with_its_routes_and_the_path_is_never_forwarded()
    {
        await using var healthy = await Upstream.StartAsync(app =>
            app.MapGet("/nassav/api/{**rest}", () => Results.Json(new { code = 200, message = "success", data = "upstream" })));
        await using var sick = await Upstream.StartAsync();
        sick.HealthStatus = 503;
        var dead = Upstream.DeadUrl();
        await using var gateway = await GatewayServer.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:Routes:0:PathPrefix"] = "/nassav/api",
            ["Gateway:Routes:0:Destinations:0"] = healthy.Url,
            ["Gateway:Routes:0:Destinations:1"] = dead,
            ["Gateway:Routes:1:PathPrefix"] = "/openapi",
            ["Gateway:Routes:1:Destinations:0"] = healthy.Url,
            ["Gateway:Routes:2:PathPrefix"] = "/nassav/api/maintenance",
            ["Gateway:Routes:2:Destinations:0"] = sick.Url,
        });
        using var client = gateway.CreateClient();

        var data = (await Json.AssertEnvelopeAsync(await client.GetAsync("/nassav/api/gateway/readiness"), 200)).GetProperty("data");

        var upstreams = data.GetProperty("upstreams").EnumerateArray().ToDictionary(u => u.GetProperty("destination").GetString()!.TrimEnd('/'));
        Assert.Equal(3, upstreams.Count);
        Assert.Equal("Healthy", upstreams[healthy.Url].GetProperty("status").GetString());
        Assert.Equal(["/nassav/api", "/openapi"], upstreams[healthy.Url].GetProperty("routes").EnumerateArray().Select(r => r.GetString()).Order());
        Assert.Equal("Unhealthy", upstreams[sick.Url].GetProperty("status").GetString());
        Assert.Equal("Unreachable", upstreams[dead].GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(upstreams[dead].GetProperty("error").GetString()));
        Assert.Equal(0, healthy.Requests); // only /health/ready was asked: the readiness call itself stayed in the gateway
        // Other API paths are still forwarded.
        await Json.AssertEnvelopeAsync(await client.GetAsync("/nassav/api/resources/"), 200);
        Assert.Equal(1, healthy.Requests);
    }
}
