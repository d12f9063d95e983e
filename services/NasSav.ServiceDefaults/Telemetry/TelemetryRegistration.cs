using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using NasSav.ServiceDefaults.Configuration;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace NasSav.ServiceDefaults.Telemetry;

/// <summary>
/// OpenTelemetry through its hosting package: traces and metrics over OTLP when an endpoint is configured, and
/// metrics on a Prometheus scraping endpoint when <c>Telemetry:PrometheusPath</c> is set. With neither, nothing is
/// registered (the NasSav instruments then cost a null check each).
/// </summary>
public static class TelemetryRegistration
{
    /// <summary>Activity sources traced: our own, MassTransit's and Npgsql's (ASP.NET Core and HttpClient come with their instrumentation).</summary>
    public static readonly string[] Sources = ["MassTransit", "Npgsql", NasSavMeter.Name];

    /// <summary>Meters collected besides the instrumentations' own (ASP.NET Core, Kestrel, HttpClient).</summary>
    public static readonly string[] Meters = ["MassTransit", "Npgsql", NasSavMeter.Name];

    public static IServiceCollection AddNasSavTelemetry(this IServiceCollection services, string serviceName, TelemetryOptions options)
    {
        var otlp = OtlpEndpoint(options);
        var prometheus = !string.IsNullOrWhiteSpace(options.PrometheusPath);
        if (otlp is null && !prometheus) return services;
        var protocol = string.Equals(options.OtlpProtocol ?? Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_PROTOCOL"), "http/protobuf",
            StringComparison.OrdinalIgnoreCase) ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;

        var telemetry = services.AddOpenTelemetry().ConfigureResource(r => r.AddService(serviceName));
        telemetry.WithMetrics(metrics =>
        {
            metrics.AddMeter(Meters).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
            if (otlp is not null) metrics.AddOtlpExporter(o => Export(o, otlp, protocol, "v1/metrics"));
            if (prometheus) metrics.AddPrometheusExporter();
        });
        if (otlp is not null)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(Sources)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddOtlpExporter(o => Export(o, otlp, protocol, "v1/traces")));
        }
        return services;
    }

    /// <summary>The scraping endpoint, when <c>Telemetry:PrometheusPath</c> is set (behind the gateway's API keys on the public port).</summary>
    public static WebApplication MapNasSavTelemetry(this WebApplication app, TelemetryOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.PrometheusPath)) app.MapPrometheusScrapingEndpoint(options.PrometheusPath);
        return app;
    }

    /// <summary>Telemetry:OtlpEndpoint, else OTEL_EXPORTER_OTLP_ENDPOINT, as a base URI ending in '/'; null when neither is a URL.</summary>
    private static Uri? OtlpEndpoint(TelemetryOptions options)
    {
        var endpoint = options.OtlpEndpoint;
        if (string.IsNullOrWhiteSpace(endpoint)) endpoint = Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT");
        if (string.IsNullOrWhiteSpace(endpoint)) return null;
        // A malformed endpoint is reported by option validation at start (naming the key), not here.
        return Uri.TryCreate(endpoint.EndsWith('/') ? endpoint : endpoint + "/", UriKind.Absolute, out var uri) ? uri : null;
    }

    // Over HTTP an endpoint set in code is used as is (only the environment variable gets the signal's path appended).
    private static void Export(OtlpExporterOptions o, Uri endpoint, OtlpExportProtocol protocol, string signalPath)
    {
        o.Protocol = protocol;
        o.Endpoint = protocol == OtlpExportProtocol.HttpProtobuf ? new Uri(endpoint, signalPath) : endpoint;
    }
}
