using System.Net;
using System.Text;
using NasSav.Catalog.Tests.Support;

namespace NasSav.Catalog.Tests.Http;

/// <summary>Every bad input is a 4xx envelope with a message: never a 500, an HTML page or an empty body.</summary>
public sealed class BadInputTests
{
    public static readonly string[] BadAvids = ["../x", "a/b", new string('A', 51), "AB\0C", "AB CD", "..", "ABC--1", "-ABC", "%00", "ABC\\1"];

    [Theory, BothDatabases]
    public async Task Bad_avids_are_rejected_everywhere(DbKind kind)
    {
        await using var app = await CatalogApp.StartAsync(kind);
        var client = app.CreateClient();
        foreach (var bad in BadAvids)
        {
            var escaped = Uri.EscapeDataString(bad);
            await AssertClientError(client, HttpMethod.Get, $"/resource/metadata?avid={escaped}", null, bad);
            await AssertClientError(client, HttpMethod.Post, "/resource", System.Text.Json.JsonSerializer.Serialize(new { avid = bad }), bad);
            // A NUL in a path never reaches routing (the server rejects the request line); the query and body cover it.
            if (bad.Contains('\0')) continue;
            await AssertClientError(client, HttpMethod.Get, $"/resource/{escaped}/preview", null, bad);
            await AssertClientError(client, HttpMethod.Patch, $"/resource/{escaped}/status", """{"watched":true}""", bad);
            await AssertClientError(client, HttpMethod.Delete, $"/resource/{escaped}", null, bad);
            await AssertClientError(client, HttpMethod.Post, $"/resource/refresh/{escaped}", "{}", bad);
            await AssertClientError(client, HttpMethod.Post, $"/downloads/{escaped}", null, bad);
            await AssertClientError(client, HttpMethod.Delete, $"/downloads/{escaped}", null, bad);
        }
        // Nothing escaped the media root.
        Assert.False(File.Exists(Path.Combine(app.DataRoot, "x")));
    }

    [Theory]
    [InlineData("{\"avid\":")]
    [InlineData("not json")]
    [InlineData("{\"a\":1}{")]
    [InlineData("\"just a string\"")]
    public async Task Malformed_or_non_object_json_is_a_400_envelope(string body)
    {
        await using var app = await CatalogApp.StartAsync(DbKind.Sqlite);
        await app.ResourceAsync("JSN-001");
        var client = app.CreateClient();
        foreach (var (method, path) in new[]
                 {
                     (HttpMethod.Post, "/resource"), (HttpMethod.Put, "/setting"), (HttpMethod.Post, "/source/cookie"),
                     (HttpMethod.Patch, "/resource/JSN-001/status"), (HttpMethod.Post, "/resource/refresh/JSN-001"),
                     (HttpMethod.Post, "/resources/batch"), (HttpMethod.Post, "/downloads/batch_submit"),
                 })
            (await client.SendAsync(method, path, body)).Is(400);
    }

    [Theory, BothDatabases]
    public async Task A_body_over_one_mebibyte_is_a_413_envelope(DbKind kind)
    {
        await using var app = await CatalogApp.StartAsync(kind);
        var client = app.CreateClient();
        var big = "{\"cookie\":\"" + new string('x', 2 * 1024 * 1024) + "\",\"source\":\"jable\"}";
        (await client.SendAsync(HttpMethod.Post, "/source/cookie", big)).Is(413);
        (await client.SendAsync(HttpMethod.Put, "/setting", big)).Is(413);

        // Without a Content-Length the reader still stops at the limit.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/nassav/api/resources/batch")
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big))),
        };
        request.Headers.TransferEncodingChunked = true;
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("\"code\":413", await response.Content.ReadAsStringAsync());
        Assert.Empty(await app.WithDbAsync(db => Task.FromResult(db.SourceCookies.ToList())));
    }

    [Theory, BothDatabases]
    public async Task Literal_routes_win_over_avid_routes(DbKind kind)
    {
        await using var app = await CatalogApp.StartAsync(kind);
        await app.ResourceAsync("METADATA");
        var client = app.CreateClient();
        // DELETE /resource/metadata is not "delete the AVID METADATA" (the peer: 405; here no route: 404).
        (await client.SendAsync(HttpMethod.Delete, "/resource/metadata")).Is(404);
        Assert.NotNull(await app.FindAsync("METADATA"));
        (await client.SendAsync(HttpMethod.Delete, "/resource/cover")).Is(404);
        (await client.SendAsync(HttpMethod.Post, "/downloads/abspath")).Is(404);
        (await client.SendAsync(HttpMethod.Get, "/resource/metadata?avid=METADATA")).Is(200);
    }

    private static async Task AssertClientError(HttpClient client, HttpMethod method, string path, string? body, string bad)
    {
        var answer = await client.SendAsync(method, path, body);
        Assert.True((int)answer.Status is >= 400 and < 500, $"{method} {path} ({bad}) gave {(int)answer.Status}");
        Assert.Equal((int)answer.Status, answer.Code);
        Assert.False(string.IsNullOrEmpty(answer.Message));
    }
}
