using System.Net;
using System.Text.Json;
using NasSav.Testing;

namespace NasSav.SystemTests;

/// <summary>What the public surface says when the service behind a route is gone.</summary>
[Collection(DistributedCollection.Name)]
public sealed class CatalogOutageTests(DistributedSet set) : IClassFixture<DistributedSet>
{
    [Fact]
    public Task Gateway_answers_502_envelope_when_catalog_is_down() => set.CheckAsync(async () =>
    {
        var resources = new Uri(set.Gateway.BaseUri, "nassav/api/resources/");
        using (var before = await set.Http.GetAsync(resources))
            Assert.True(before.StatusCode == HttpStatusCode.OK, $"before the outage: HTTP {(int)before.StatusCode}: {await before.Content.ReadAsStringAsync()}");

        await set.Catalog.KillAsync();
        Assert.True(set.Catalog.HasExited);

        var last = "";
        try
        {
            await Wait.UntilAsync(async () =>
            {
                using var response = await set.Http.GetAsync(resources);
                last = $"HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
                return response.StatusCode == HttpStatusCode.BadGateway;
            }, TimeSpan.FromSeconds(30), "the gateway to answer 502 for a stopped catalog");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}; last answer: {last}", ex);
        }

        using var answer = await set.Http.GetAsync(resources);
        var body = await answer.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadGateway, answer.StatusCode);
        Assert.StartsWith("application/json", answer.Content.Headers.ContentType?.MediaType ?? "", StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(body);
        Assert.Equal(502, doc.RootElement.GetProperty("code").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(doc.RootElement.GetProperty("message").GetString()), body);
        Assert.True(doc.RootElement.TryGetProperty("data", out _), body);
    });
}
