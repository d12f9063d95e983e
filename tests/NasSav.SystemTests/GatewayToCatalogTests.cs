using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NasSav.SystemTests;

/// <summary>
/// The distributed set end to end: gateway and catalog as separate processes on PostgreSQL,
/// RabbitMQ and Redis, talking over HTTP (forwarding) and the bus (queue status).
/// </summary>
[Collection(DistributedCollection.Name)]
public sealed class GatewayToCatalogTests(DistributedSet set) : IClassFixture<DistributedSet>
{
    [Fact]
    public Task Resources_through_the_gateway_are_answered_by_catalog() => set.CheckAsync(async () =>
    {
        using var response = await set.Http.GetAsync(new Uri(set.Gateway.BaseUri, "nassav/api/resources/"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"HTTP {(int)response.StatusCode}: {body}");
        var expected = JsonNode.Parse("""
            {"code":200,"message":"success","data":[],"pagination":{"total":0,"page":1,"page_size":20,"pages":1}}
            """);
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(body)), $"unexpected body: {body}");
    });

    [Fact]
    public Task Readiness_reports_the_database_the_bus_and_redis() => set.CheckAsync(async () =>
    {
        var catalog = await ReadyChecksAsync(set.Catalog);
        Assert.Contains(catalog, c => c.Name.StartsWith("database", StringComparison.OrdinalIgnoreCase) && c.Status == "Healthy");
        Assert.Contains(catalog, c => c.Name.Contains("masstransit", StringComparison.OrdinalIgnoreCase) && c.Status == "Healthy");
        Assert.Contains(catalog, c => c.Name == "redis" && c.Status == "Healthy");

        var gateway = await ReadyChecksAsync(set.Gateway);
        Assert.Contains(gateway, c => c.Name == "redis" && c.Status == "Healthy");
        Assert.Contains(gateway, c => c.Name.Contains("masstransit", StringComparison.OrdinalIgnoreCase) && c.Status == "Healthy");
    });

    [Fact]
    public Task Queue_status_travels_gateway_bus_catalog_and_back_over_the_websocket() => set.CheckAsync(async () =>
    {
        using var ws = new ClientWebSocket();
        using var connect = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var wsUri = new UriBuilder(set.Gateway.BaseUri) { Scheme = "ws", Path = "/nassav/ws/tasks/" }.Uri;
        await ws.ConnectAsync(wsUri, connect.Token);

        // On connect: gateway → RabbitMQ request GetQueueStatus → catalog consumer → response → frame.
        var first = await ReceiveOfTypeAsync(ws, "queue_status", TimeSpan.FromSeconds(30));
        AssertQueueStatus(first);

        await ws.SendAsync("""{"action":"get_queue_status"}"""u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        var second = await ReceiveOfTypeAsync(ws, "queue_status", TimeSpan.FromSeconds(30));
        AssertQueueStatus(second);
        // The gateway answers with an empty queue_status (and says so in its log) when catalog does not.
        Assert.DoesNotContain("empty queue_status", set.Gateway.Output(), StringComparison.Ordinal);

        using var close = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try { await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", close.Token); }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException) { }
    });

    private static void AssertQueueStatus(JsonElement frame)
    {
        var data = frame.GetProperty("data");
        Assert.Equal(JsonValueKind.Array, data.GetProperty("active_tasks").ValueKind);
        Assert.Equal(JsonValueKind.Array, data.GetProperty("pending_tasks").ValueKind);
        Assert.Equal(0, data.GetProperty("active_tasks").GetArrayLength());
        Assert.Equal(0, data.GetProperty("pending_tasks").GetArrayLength());
    }

    private async Task<List<(string Name, string Status)>> ReadyChecksAsync(HostProcess host)
    {
        using var response = await set.Http.GetAsync(new Uri(host.BaseUri, "health/ready"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{host.Name} /health/ready: HTTP {(int)response.StatusCode}: {body}");
        using var doc = JsonDocument.Parse(body);
        Assert.True(doc.RootElement.GetProperty("status").GetString() == "Healthy", $"{host.Name} /health/ready: {body}");
        return doc.RootElement.GetProperty("checks").EnumerateObject()
            .Select(c => (c.Name, c.Value.GetProperty("status").GetString() ?? ""))
            .ToList();
    }

    /// <summary>Reads whole text frames until one has <c>"type": type</c>; other frames are skipped.</summary>
    internal static async Task<JsonElement> ReceiveOfTypeAsync(ClientWebSocket ws, string type, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var seen = new List<string>();
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                using var message = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await ws.ReceiveAsync(buffer, cts.Token);
                    if (result.MessageType == WebSocketMessageType.Close)
                        throw new InvalidOperationException($"the server closed the WebSocket ({result.CloseStatus} {result.CloseStatusDescription}); frames so far: {string.Join(" | ", seen)}");
                    message.Write(buffer, 0, result.Count);
                } while (!result.EndOfMessage);
                var text = Encoding.UTF8.GetString(message.ToArray());
                seen.Add(text.Length > 300 ? text[..300] + "…" : text);
                using var doc = JsonDocument.Parse(text);
                if (doc.RootElement.ValueKind == JsonValueKind.Object
                    && doc.RootElement.TryGetProperty("type", out var t) && t.GetString() == type)
                    return doc.RootElement.Clone();
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no '{type}' frame within {timeout.TotalSeconds:0} s; frames so far: {(seen.Count == 0 ? "none" : string.Join(" | ", seen))}");
        }
    }
}
