using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NasSav.ServiceDefaults.Hosting;

namespace NasSav.ServiceDefaults.Tests.Telemetry;

/// <summary>Exports go to a fake collector that speaks OTLP/HTTP (POST /v1/traces, /v1/metrics, protobuf bodies).</summary>
public sealed class OtlpExportTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<(string Path, string? ContentType, long Length)> _received = new();
    private WebApplication _collector = null!;
    private string _collectorUrl = "";

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _collector = builder.Build();
        _collector.MapPost("/v1/{signal}", async (HttpContext ctx) =>
        {
            using var body = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(body);
            _received.Enqueue((ctx.Request.Path, ctx.Request.ContentType, body.Length));
            return Results.Ok();
        });
        await _collector.StartAsync();
        _collectorUrl = _collector.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    public async Task DisposeAsync() => await _collector.DisposeAsync();

    [Fact]
    public async Task Requests_produce_traces_and_metrics_at_the_configured_otlp_endpoint()
    {
        var root = Directory.CreateTempSubdirectory("nassav-otlp-").FullName;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [$"--Data:Root={root}", "--urls=http://127.0.0.1:0", "--Logging:Format=simple",
                    $"--Telemetry:OtlpEndpoint={_collectorUrl}", "--Telemetry:OtlpProtocol=http/protobuf"],
            ContentRootPath = root,
        });
        builder.AddNasSavDefaults("otlp-test");
        await using (var app = builder.Build())
        {
            app.MapGet("/ping", () => "pong");
            await app.StartAsync();
            var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var http = new HttpClient();
            Assert.Equal("pong", await http.GetStringAsync(url + "/ping"));
            await app.StopAsync();
        } // disposing the container disposes the providers, which flushes both signals

        Assert.Contains(_received, r => r.Path == "/v1/traces" && r.ContentType == "application/x-protobuf" && r.Length > 0);
        Assert.Contains(_received, r => r.Path == "/v1/metrics" && r.Length > 0);
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task Without_an_endpoint_nothing_is_exported()
    {
        var root = Directory.CreateTempSubdirectory("nassav-otlp-").FullName;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [$"--Data:Root={root}", "--urls=http://127.0.0.1:0", "--Logging:Format=simple"],
            ContentRootPath = root,
        });
        builder.AddNasSavDefaults("otlp-test");
        await using var app = builder.Build();
        Assert.Null(app.Services.GetService<OpenTelemetry.Trace.TracerProvider>());
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task A_malformed_endpoint_stops_the_start_naming_the_key()
    {
        var root = Directory.CreateTempSubdirectory("nassav-otlp-").FullName;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [$"--Data:Root={root}", "--urls=http://127.0.0.1:0", "--Logging:Format=simple", "--Telemetry:OtlpEndpoint=not a url"],
            ContentRootPath = root,
        });
        builder.AddNasSavDefaults("otlp-test");
        await using var app = builder.Build();
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("Telemetry:OtlpEndpoint", ex.Message);
        Directory.Delete(root, recursive: true);
    }
}
