using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace NasSav.Standalone.Tests;

/// <summary>With no anonymous network, the standalone host (gateway module in front) wants a key.</summary>
public sealed class ApiKeyTests() : StandaloneTest(new Dictionary<string, string?>
{
    ["Gateway:AnonymousNetworks:0"] = "none",
    ["Gateway:ApiKeys:0"] = Key,
})
{
    private const string Key = "test-key-0123456789abcdef";

    [Fact]
    public async Task Without_a_key_the_answer_is_a_401_envelope()
    {
        var response = await Http.GetAsync("/nassav/api/resources/");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(401, json.RootElement.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task A_wrong_key_is_refused_and_a_valid_key_succeeds_in_both_forms()
    {
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/nassav/api/resources/");
        wrong.Headers.Add("X-Api-Key", Key + "x");
        Assert.Equal(HttpStatusCode.Unauthorized, (await Http.SendAsync(wrong)).StatusCode);

        using var header = new HttpRequestMessage(HttpMethod.Get, "/nassav/api/resources/");
        header.Headers.Add("X-Api-Key", Key);
        Assert.Equal(HttpStatusCode.OK, (await Http.SendAsync(header)).StatusCode);

        using var bearer = new HttpRequestMessage(HttpMethod.Get, "/nassav/api/resources/");
        bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        Assert.Equal(HttpStatusCode.OK, (await Http.SendAsync(bearer)).StatusCode);
    }

    [Fact]
    public async Task Health_stays_open()
    {
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync("/health/live")).StatusCode);
    }
}
