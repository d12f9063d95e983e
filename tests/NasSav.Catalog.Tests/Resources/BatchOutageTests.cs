using Npgsql;
using NasSav.Catalog.Tests.Support;
using NasSav.Testing;

namespace NasSav.Catalog.Tests.Resources;

/// <summary>
/// The "PostgreSQL down ~4 s: every batch request answered HTTP 500". The database is cut off (a TCP relay in
/// front of the real server stops): each item answers its own 503, the batch itself 200; once it is back, items work.
/// </summary>
public sealed class BatchOutageTests
{
    [Fact]
    public async Task Every_batch_answers_per_item_while_the_database_is_away()
    {
        var server = new NpgsqlConnectionStringBuilder(await LocalServers.PostgresAsync());
        await using var proxy = TcpProxy.Start(server.Host!, server.Port);
        await using var app = await CatalogApp.StartAsync(DbKind.Postgres, new Dictionary<string, string?>
        {
            ["Lifecycle:AddWaitSeconds"] = "1",
            ["Lifecycle:Watchdog:Enabled"] = "false",
        }, postgresConnection: c => new NpgsqlConnectionStringBuilder(c) { Host = "127.0.0.1", Port = proxy.Port, Timeout = 3 }.ToString());
        await app.ResourceAsync("OUT-001", r => r.Source = "Jable");
        var client = app.CreateClient();

        proxy.Cut();

        var batch = (await client.SendAsync(HttpMethod.Post, "/resources/batch", """
            {"actions":[
              {"action":"add","avid":"OUT-002"},
              {"action":"refresh","avid":"OUT-001","refresh_m3u8":true},
              {"action":"add"},
              {"action":"delete","avid":"OUT-001"}
            ]}
            """)).Is(200);
        var results = batch.Data.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal([503, 503, 400, 503], results.Select(r => r.GetProperty("code").GetInt32()));
        Assert.Equal(["OUT-002", "OUT-001", null, "OUT-001"], results.Select(r => r.GetProperty("avid").GetString()));
        Assert.Contains("稍后重试", results[0].GetProperty("message").GetString());

        var submits = (await client.SendAsync(HttpMethod.Post, "/downloads/batch_submit", """{"avids":["OUT-001","bad avid"]}""")).Is(200);
        var submitted = submits.Data.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal([503, 400], submitted.Select(r => r.GetProperty("code").GetInt32()));

        // A single request meeting the outage: 503 with Retry-After, not 500.
        var single = await client.SendAsync(HttpMethod.Get, "/resources/");
        Assert.Equal(503, single.Code);
        Assert.True(single.Response.Headers.Contains("Retry-After"));

        proxy.Restore();

        var after = (await client.SendAsync(HttpMethod.Post, "/resources/batch", """{"actions":[{"action":"add","avid":"OUT-001"},{"action":"add","avid":"OUT-003"}]}""")).Is(200);
        // OUT-001 exists; OUT-003 has no scraper in this host: "processing" (202) once the wait is over.
        Assert.Equal([200, 202], after.Data.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("code").GetInt32()));
    }
}
