using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace NasSav.Standalone.Tests;

/// <summary>The "done means" checks against the composed standalone host.</summary>
public sealed class OneCommandTests : StandaloneTest
{

    [Theory]
    [InlineData("/nassav/api/resources/")]
    [InlineData("/nassav/api/resources")]
    public async Task An_empty_library_answers_exactly_as_the_reference(string path)
    {
        var response = await Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"code":200,"message":"success","data":[],"pagination":{"total":0,"page":1,"page_size":20,"pages":1}}""",
            await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/nassav/api/resource/cover?avid=../../etc/passwd")]
    [InlineData("/nassav/api/resource/cover?avid=..%2F..%2Fetc%2Fpasswd")]
    [InlineData("/nassav/api/resources/?page=x")]
    [InlineData("/nassav/api/resources/?page_size=0")]
    [InlineData("/nassav/api/resources/?ordering=nope")]
    [InlineData("/nassav/api/resources/?file_exists=maybe")]
    [InlineData("/nassav/api/actors/?page=abc")]
    [InlineData("/nassav/api/genres/?page_size=abc")]
    [InlineData("/nassav/api/downloads/abspath?avid=../x")]
    [InlineData("/nassav/api/resource/metadata?avid=a%00b")]
    public async Task Bad_query_input_gets_a_400_envelope(string path)
    {
        var response = await Http.GetAsync(path);
        // 400, not merely 4xx: a 404 "no such route" would pass a looser check with the feature absent.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertClientErrorEnvelope(response);
    }

    [Fact]
    public async Task A_2MB_json_body_gets_a_413_envelope()
    {
        var body = "{\"avid\":\"" + new string('A', 2 * 1024 * 1024) + "\"}";
        var response = await Http.PostAsync("/nassav/api/resource", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await AssertClientErrorEnvelope(response);
    }

    [Fact]
    public async Task Malformed_json_gets_a_400_envelope()
    {
        var response = await Http.PostAsync("/nassav/api/resource", new StringContent("{\"avid\":", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertClientErrorEnvelope(response);
    }

    [Fact]
    public async Task Readiness_reports_database_and_bus()
    {
        var response = await Http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("database-CatalogDbContext", body);
        Assert.Contains("masstransit-bus", body);
    }

    [Fact]
    public void The_bus_sends_no_usage_telemetry()
    {
        // The registration is tested by observing outgoing requests (ServiceDefaults.Tests NoPhoneHomeTests); this is the composed host.
        var options = App.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<MassTransit.UsageTelemetryOptions>>().Value;
        Assert.False(options.Enabled);
    }

    private static async Task AssertClientErrorEnvelope(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status is >= 400 and < 500, $"expected 4xx, got {status}: {text}");
        using var json = JsonDocument.Parse(text);
        Assert.Equal(status, json.RootElement.GetProperty("code").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(json.RootElement.GetProperty("message").GetString()));
        Assert.True(json.RootElement.TryGetProperty("data", out _));
    }
}
