using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using NasSav.Gateway.Tests.Support;
using NasSav.Testing;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace NasSav.Gateway.Tests;

public sealed class ForwardingTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private static Dictionary<string, string?> Route(string prefix, params string[] destinations)
    {
        var settings = new Dictionary<string, string?> { ["Gateway:Routes:0:PathPrefix"] = prefix };
        for (var i = 0; i < destinations.Length; i++) settings[$"Gateway:Routes:0:Destinations:{i}"] = destinations[i];
        return settings;
    }

    /// <summary>Answers with what it received: method, raw target, headers and body.</summary>
    private static void Echo(Microsoft.AspNetCore.Routing.IEndpointRouteBuilder app) =>
        app.Map("/nassav/api/{**rest}", async (HttpContext context) =>
        {
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            var target = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget;
            context.Response.Headers["X-Upstream"] = "echo";
            context.Response.Headers["Keep-Alive"] = "timeout=5";
            context.Response.Headers["X-Drop-Me"] = "secret";
            context.Response.Headers.Connection = "X-Drop-Me";
            await context.Response.WriteAsJsonAsync(new
            {
                method = context.Request.Method,
                target,
                body,
                headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()),
            });
        });

    [Fact]
    public async Task Forwards_method_path_query_body_and_headers_and_drops_hop_by_hop()
    {
        await using var upstream = await Upstream.StartAsync(Echo);
        await using var gateway = await GatewayServer.StartAsync(Route("/nassav/api", upstream.Url));
        using var client = gateway.CreateClient();

        const string target = "/nassav/api/resource/ABC-123%2Fx/status?a=1&b=%2F&c=x+y&a=2";
        using var request = new HttpRequestMessage(HttpMethod.Patch, target)
        {
            Content = new StringContent("""{"watched":true}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Custom", "kept");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Hop", "dropped");
        request.Headers.Connection.Add("X-Hop");
        request.Headers.Add("Keep-Alive", "timeout=5");
        request.Headers.Add("Proxy-Authorization", "Basic abc");
        request.Headers.TE.ParseAdd("trailers");

        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = await Json.ReadAsync(response);
        Assert.Equal("PATCH", echo.GetProperty("method").GetString());
        Assert.Equal(target, echo.GetProperty("target").GetString());
        Assert.Equal("""{"watched":true}""", echo.GetProperty("body").GetString());
        var headers = echo.GetProperty("headers");
        Assert.Equal("kept", headers.GetProperty("x-custom").GetString());
        Assert.StartsWith("application/json", headers.GetProperty("content-type").GetString());
        Assert.Equal("203.0.113.7, 127.0.0.1", headers.GetProperty("x-forwarded-for").GetString());
        Assert.Equal("https, http", headers.GetProperty("x-forwarded-proto").GetString());
        Assert.Equal(gateway.BaseAddress.Authority, headers.GetProperty("x-forwarded-host").GetString());
        Assert.Equal(upstream.Address.Authority, headers.GetProperty("host").GetString());
        foreach (var hop in new[] { "x-hop", "keep-alive", "proxy-authorization", "te", "upgrade" })
            Assert.False(headers.TryGetProperty(hop, out _), $"{hop} must not be forwarded");

        Assert.Equal("echo", response.Headers.GetValues("X-Upstream").Single());
        Assert.False(response.Headers.Contains("X-Drop-Me"), "headers named in the upstream's Connection are dropped");
        Assert.False(response.Headers.Contains("Keep-Alive"));
    }

    [Fact]
    public async Task Request_without_a_route_falls_through_to_local_endpoints()
    {
        await using var upstream = await Upstream.StartAsync(Echo);
        await using var gateway = await GatewayServer.StartAsync(Route("/nassav/api", upstream.Url));
        using var client = gateway.CreateClient();
        using var response = await client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, upstream.Requests);
    }

    [Fact]
    public async Task Longest_prefix_wins()
    {
        await using var general = await Upstream.StartAsync(app => app.MapGet("/nassav/api/{**rest}", () => "general"));
        await using var covers = await Upstream.StartAsync(app => app.MapGet("/nassav/api/{**rest}", () => "covers"));
        await using var gateway = await GatewayServer.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:Routes:0:PathPrefix"] = "/nassav/api",
            ["Gateway:Routes:0:Destinations:0"] = general.Url,
            ["Gateway:Routes:1:PathPrefix"] = "/nassav/api/resource/cover",
            ["Gateway:Routes:1:Destinations:0"] = covers.Url,
        });
        using var client = gateway.CreateClient();
        Assert.Equal("covers", await client.GetStringAsync("/nassav/api/resource/cover?avid=ABC-123"));
        Assert.Equal("general", await client.GetStringAsync("/nassav/api/resource/covers"));
        Assert.Equal("general", await client.GetStringAsync("/nassav/api/resources/"));
    }

    [Fact]
    public async Task Large_response_is_streamed_not_buffered()
    {
        const int chunk = 64 * 1024;
        const long total = 50L * 1024 * 1024;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await Upstream.StartAsync(app => app.MapGet("/nassav/api/video", async (HttpContext context) =>
        {
            context.Response.ContentType = "video/mp4";
            context.Response.ContentLength = total;
            var block = new byte[chunk];
            Array.Fill(block, (byte)'v');
            await context.Response.Body.WriteAsync(block);
            await context.Response.Body.FlushAsync();
            // The rest only once the client has proved it received the first bytes.
            await release.Task.WaitAsync(TimeSpan.FromSeconds(30));
            for (long sent = chunk; sent < total; sent += chunk) await context.Response.Body.WriteAsync(block);
        }));
        await using var gateway = await GatewayServer.StartAsync(Route("/nassav/api", upstream.Url));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/nassav/api/video", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(total, response.Content.Headers.ContentLength);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[chunk];
        using (var first = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            var read = await body.ReadAsync(buffer, first.Token); // upstream is still blocked: streaming, or this times out
            Assert.True(read > 0);
            var received = (long)read;
            release.SetResult();
            while ((read = await body.ReadAsync(buffer)) > 0) received += read;
            Assert.Equal(total, received);
        }
    }

    [Fact]
    public async Task Large_upload_is_streamed_to_the_upstream()
    {
        const long total = 20L * 1024 * 1024;
        await using var upstream = await Upstream.StartAsync(app => app.MapPost("/nassav/api/upload", async (HttpContext context) =>
        {
            var buffer = new byte[81920];
            long count = 0;
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer)) > 0) count += read;
            return Results.Text(count.ToString());
        }));
        await using var gateway = await GatewayServer.StartAsync(Route("/nassav/api", upstream.Url));
        using var client = gateway.CreateClient();
        using var content = new StreamContent(new GeneratedStream(total));
        content.Headers.ContentType = new("application/octet-stream");
        using var response = await client.PostAsync("/nassav/api/upload", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(total.ToString(), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Slow_upstream_gives_504_envelope()
    {
        await using var upstream = await Upstream.StartAsync(app => app.MapGet("/nassav/api/slow", async (HttpContext context) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
            return "late";
        }));
        var settings = Route("/nassav/api", upstream.Url);
        settings["Gateway:Routes:0:Timeout"] = "0.5";
        await using var gateway = await GatewayServer.StartAsync(settings);
        using var client = gateway.CreateClient();
        var watch = Stopwatch.StartNew();
        using var response = await client.GetAsync("/nassav/api/slow");
        await Json.AssertEnvelopeAsync(response, 504, "上游服务超时");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Upstream_silent_after_its_headers_gives_504_envelope()
    {
        await using var upstream = await Upstream.StartAsync(app =>
        {
            app.MapGet("/nassav/api/warm", () => "warm");
            app.MapGet("/nassav/api/stall", async (HttpContext context) =>
            {
                context.Response.ContentType = "application/json";
                await context.Response.Body.FlushAsync(); // headers out, then no body byte
                await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
            });
        });
        var settings = Route("/nassav/api", upstream.Url);
        settings["Gateway:Routes:0:Timeout"] = "2";
        await using var gateway = await GatewayServer.StartAsync(settings);
        using var client = gateway.CreateClient();
        // Requests until one passes warm up both sides (on a loaded machine the first may time out itself), so the
        // stall request's headers arrive well within the timeout and the silence is the body's.
        await Wait.UntilAsync(async () =>
        {
            using var warm = await client.GetAsync("/nassav/api/warm");
            return warm.StatusCode == HttpStatusCode.OK;
        }, Patience, "a first request through the gateway");
        using var response = await client.GetAsync("/nassav/api/stall");
        await Json.AssertEnvelopeAsync(response, 504, "上游服务超时");
    }

    [Fact]
    public async Task WebSocket_upgrades_are_not_forwarded_and_the_feed_stays_the_gateways_own()
    {
        var upgrades = 0;
        await using var upstream = await Upstream.StartAsync(app =>
        {
            ((IApplicationBuilder)app).UseWebSockets();
            app.Map("/{**rest}", async (HttpContext context) =>
            {
                if (!context.WebSockets.IsWebSocketRequest) return Results.Text("plain");
                Interlocked.Increment(ref upgrades);
                using var socket = await context.WebSockets.AcceptWebSocketAsync();
                await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "upstream", CancellationToken.None);
                return Results.Empty;
            });
        });
        await using var gateway = await GatewayServer.StartAsync(Route("/", upstream.Url)); // a route over everything
        using (var socket = new System.Net.WebSockets.ClientWebSocket())
        using (var cts = new CancellationTokenSource(Patience))
        {
            await socket.ConnectAsync(gateway.WebSocketUri(), cts.Token);
            var frame = await socket.ReceiveJsonAsync(Patience);
            Assert.Equal("queue_status", frame.GetProperty("type").GetString());
        }
        Assert.Equal(0, upstream.Requests);

        using (var socket = new System.Net.WebSockets.ClientWebSocket())
        using (var cts = new CancellationTokenSource(Patience))
        {
            await Assert.ThrowsAsync<System.Net.WebSockets.WebSocketException>(
                () => socket.ConnectAsync(gateway.WebSocketUri("/nassav/api/socket"), cts.Token));
        }
        Assert.Equal(1, upstream.Requests); // it arrived as a plain GET
        Assert.Equal(0, Volatile.Read(ref upgrades));
    }

    [Fact]
    public async Task Dead_upstream_gives_502_envelope()
    {
        await using var gateway = await GatewayServer.StartAsync(Route("/nassav/api", Upstream.DeadUrl()));
        using var client = gateway.CreateClient();
        using var response = await client.PostAsync("/nassav/api/resource", Json.Body(new { avid = "ABC-123" }));
        await Json.AssertEnvelopeAsync(response, 502, "上游服务不可用");
    }

    [Fact]
    public async Task With_one_destination_dead_every_request_succeeds()
    {
        await using var live = await Upstream.StartAsync(app => app.MapMethods("/nassav/api/{**rest}", ["GET", "POST"], () => "ok"));
        var settings = Route("/nassav/api", Upstream.DeadUrl(), live.Url);
        settings["Gateway:HealthCheck:Enabled"] = "false"; // passive health and retry alone
        await using var gateway = await GatewayServer.StartAsync(settings);
        using var client = gateway.CreateClient();
        for (var i = 0; i < 10; i++)
        {
            // The first request meets the dead destination first: a POST whose body was not sent yet is retried.
            using var response = i % 2 == 1
                ? await client.GetAsync($"/nassav/api/resources/?page={i}")
                : await client.PostAsync("/nassav/api/resource", Json.Body(new { avid = $"ABC-{i:000}" }));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        Assert.Equal(10, live.Requests);
        var (_, deadDestination) = Destination(gateway, settings["Gateway:Routes:0:Destinations:0"]!);
        Assert.Equal(DestinationHealth.Unhealthy, deadDestination.Health.Passive); // a refused connection puts it in cooldown
    }

    [Fact]
    public async Task Round_robin_spreads_requests_over_destinations()
    {
        await using var a = await Upstream.StartAsync(app => app.MapGet("/nassav/api/{**rest}", () => "a"));
        await using var b = await Upstream.StartAsync(app => app.MapGet("/nassav/api/{**rest}", () => "b"));
        await using var gateway = await GatewayServer.StartAsync(Route("/nassav/api", a.Url, b.Url));
        using var client = gateway.CreateClient();
        for (var i = 0; i < 10; i++) await client.GetStringAsync("/nassav/api/genres/");
        Assert.Equal(5, a.Requests);
        Assert.Equal(5, b.Requests);
    }

    [Fact]
    public async Task Active_probe_takes_a_not_ready_destination_out_and_back_in()
    {
        await using var a = await Upstream.StartAsync(app => app.MapGet("/nassav/api/{**rest}", () => "a"));
        await using var b = await Upstream.StartAsync(app => app.MapGet("/nassav/api/{**rest}", () => "b"));
        var settings = Route("/nassav/api", a.Url, b.Url);
        settings["Gateway:HealthCheck:Interval"] = "0.2";
        await using var gateway = await GatewayServer.StartAsync(settings);
        var (cluster, destinationB) = Destination(gateway, b.Url);
        bool InRotation() => cluster.DestinationsState.AvailableDestinations.Contains(destinationB);
        using var client = gateway.CreateClient();

        b.HealthStatus = 503;
        await Wait.UntilAsync(() => !InRotation(), Patience, "b to be marked unhealthy by the probe");
        var before = b.Requests;
        for (var i = 0; i < 6; i++) Assert.Equal("a", await client.GetStringAsync("/nassav/api/actors/"));
        Assert.Equal(before, b.Requests);

        b.HealthStatus = 200;
        await Wait.UntilAsync(InRotation, Patience, "b to be healthy again");
        for (var i = 0; i < 6; i++) await client.GetStringAsync("/nassav/api/actors/");
        Assert.Equal(before + 3, b.Requests);
    }

    [Fact]
    public async Task Client_abort_cancels_the_upstream_call()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await Upstream.StartAsync(app => app.MapGet("/nassav/api/hang", async (HttpContext context) =>
        {
            started.TrySetResult();
            try { await Task.Delay(TimeSpan.FromSeconds(60), context.RequestAborted); }
            catch (OperationCanceledException) { cancelled.TrySetResult(); }
        }));
        await using var gateway = await GatewayServer.StartAsync(Route("/nassav/api", upstream.Url));
        using var client = gateway.CreateClient();
        using var cts = new CancellationTokenSource();
        var call = client.GetAsync("/nassav/api/hang", cts.Token);
        await started.Task.WaitAsync(Patience);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        await cancelled.Task.WaitAsync(Patience);
    }

    [Fact]
    public async Task OpenApi_is_forwarded_when_routed_and_generated_locally_otherwise()
    {
        await using var local = await GatewayServer.StartAsync();
        using (var client = local.CreateClient())
        {
            using var response = await client.GetAsync("/openapi/v1.json");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var doc = await Json.ReadAsync(response);
            Assert.StartsWith("3.", doc.GetProperty("openapi").GetString());
            Assert.Equal("NasSav API", doc.GetProperty("info").GetProperty("title").GetString());
        }

        await using var catalog = await Upstream.StartAsync(app => app.MapGet("/openapi/v1.json", () => Results.Json(new { openapi = "3.1.1", from = "catalog" })));
        await using var routed = await GatewayServer.StartAsync(Route("/openapi", catalog.Url));
        using (var client = routed.CreateClient())
        {
            var doc = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement;
            Assert.Equal("catalog", doc.GetProperty("from").GetString());
        }
    }

    /// <summary>The gateway's one forwarding cluster and its destination for <paramref name="url"/>, as YARP holds them.</summary>
    private static (ClusterState Cluster, DestinationState Destination) Destination(GatewayServer gateway, string url)
    {
        var cluster = gateway.Services.GetRequiredService<IProxyStateLookup>().GetClusters().Single();
        return (cluster, cluster.Destinations[url]);
    }

    /// <summary>A read-only stream of <c>length</c> bytes made up on the fly.</summary>
    private sealed class GeneratedStream(long length) : Stream
    {
        private long _position;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            buffer.AsSpan(offset, n).Fill((byte)'u');
            _position += n;
            return n;
        }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
