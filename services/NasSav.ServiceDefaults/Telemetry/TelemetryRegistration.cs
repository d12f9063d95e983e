using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace NasSav.ServiceDefaults.Telemetry;

/// <summary>
/// Traces and metrics over OTLP when an endpoint is configured. OpenTelemetry.Extensions.Hosting is
/// missing from the registry, so the providers are built with Sdk.Create*ProviderBuilder and
/// owned by the container (disposed, i.e. flushed, at shutdown).
/// </summary>
public static class TelemetryRegistration
{
    public const string NasSavSource = "NasSav";

    public static readonly string[] Sources = ["MassTransit", "Microsoft.AspNetCore", "System.Net.Http", "Npgsql", NasSavSource];
    public static readonly string[] Meters =
        ["MassTransit", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http", "Npgsql", NasSavSource];

    public static IServiceCollection AddNasSavTelemetry(this IServiceCollection services, string serviceName, string? endpoint, string? protocolName = null)
    {
        endpoint ??= Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT");
        if (string.IsNullOrWhiteSpace(endpoint)) return services;
        // A malformed endpoint is reported by option validation at start (naming the key), not here.
        if (!Uri.TryCreate(endpoint.EndsWith('/') ? endpoint : endpoint + "/", UriKind.Absolute, out var uri)) return services;
        protocolName ??= Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_PROTOCOL");
        var protocol = string.Equals(protocolName, "http/protobuf", StringComparison.OrdinalIgnoreCase)
            ? OtlpExportProtocol.HttpProtobuf
            : OtlpExportProtocol.Grpc;
        var resource = ResourceBuilder.CreateDefault().AddService(serviceName);

        services.AddSingleton(_ => Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource(Sources)
            .AddOtlpExporter(o => { o.Endpoint = protocol == OtlpExportProtocol.HttpProtobuf ? new Uri(uri, "v1/traces") : uri; o.Protocol = protocol; })
            .Build());
        services.AddSingleton(_ => Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter(Meters)
            .AddOtlpExporter(o => { o.Endpoint = protocol == OtlpExportProtocol.HttpProtobuf ? new Uri(uri, "v1/metrics") : uri; o.Protocol = protocol; })
            .Build());
        services.AddHostedService<TelemetryStarter>();
        return services;
    }

    /// <summary>Resolving the providers starts their listeners; without it nothing is collected until first use.</summary>
    private sealed class TelemetryStarter(TracerProvider tracer, MeterProvider meter) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) { _ = tracer; _ = meter; return Task.CompletedTask; }
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
