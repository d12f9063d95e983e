using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NasSav.ServiceDefaults.Hosting;

namespace NasSav.ServiceDefaults.Tests.Telemetry;

/// <summary>The scraping endpoint every host maps with its health endpoints when Telemetry:PrometheusPath is set.</summary>
public sealed class PrometheusEndpointTests
{
    private static WebApplication Host(string root, params string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [$"--Data:Root={root}", "--urls=http://127.0.0.1:0", "--Logging:Format=simple", .. args],
            ContentRootPath = root,
        });
        builder.AddNasSavDefaults("prometheus-test");
        var app = builder.Build();
        app.MapNasSavHealth();
        app.MapGet("/ping", () => "pong");
        return app;
    }

    [Fact]
    public async Task A_configured_path_serves_the_hosts_metrics_in_prometheus_text()
    {
        var root = Directory.CreateTempSubdirectory("nassav-prometheus-").FullName;
        await using (var app = Host(root, "--Telemetry:PrometheusPath=/metrics"))
        {
            await app.StartAsync();
            var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var http = new HttpClient();
            Assert.Equal("pong", await http.GetStringAsync(url + "/ping"));
            using var response = await http.GetAsync(url + "/metrics");
            Assert.True(response.IsSuccessStatusCode, $"HTTP {(int)response.StatusCode}");
            Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
            var text = await response.Content.ReadAsStringAsync();
            Assert.Contains("# TYPE http_server_request_duration_seconds histogram", text);
            Assert.Contains("service_name=\"prometheus-test\"", text); // target_info carries the resource
            await app.StopAsync();
        }
        Directory.Delete(root, recursive: true);
    }

    [Theory]
    [InlineData("metrics")]
    [InlineData("/nassav/api/metrics")]
    [InlineData("/health/metrics")]
    public async Task A_bad_path_stops_the_start_naming_the_key(string path)
    {
        var root = Directory.CreateTempSubdirectory("nassav-prometheus-").FullName;
        await using (var app = Host(root, $"--Telemetry:PrometheusPath={path}"))
        {
            var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
            Assert.Contains("Telemetry:PrometheusPath", ex.Message);
        }
        Directory.Delete(root, recursive: true);
    }
}
