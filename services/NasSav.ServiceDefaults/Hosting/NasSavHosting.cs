using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NasSav.ServiceDefaults.Configuration;
using NasSav.ServiceDefaults.Health;
using NasSav.ServiceDefaults.Redis;
using NasSav.ServiceDefaults.Telemetry;

namespace NasSav.ServiceDefaults.Hosting;

public static class NasSavHosting
{
    /// <summary>
    /// What every NasSav host calls first: configuration (appsettings, then the optional YAML file,
    /// then environment variables and the command line), console logs (readable on a terminal, JSON
    /// otherwise: <see cref="ConsoleLogFormat"/>), validated options,
    /// telemetry, health checks and the Redis connection when one is configured. What only some modules use (the
    /// database, the media store, the lease lock) their own Add&lt;Service&gt; registers from the libs/ projects.
    /// </summary>
    public static WebApplicationBuilder AddNasSavDefaults(this WebApplicationBuilder builder, string serviceName)
    {
        ((IConfigurationBuilder)builder.Configuration).Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
        {
            // Quiet defaults: EF logs every SQL command, ASP.NET and YARP (the gateway's forwarding) every request at Information.
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
                ["Logging:LogLevel:Yarp"] = "Warning",
            },
        });
        AddYamlConfiguration(builder.Configuration, builder.Environment.ContentRootPath);
        var config = builder.Configuration;

        // The default providers already hold the simple console logger.
        if (ConsoleLogFormat.Resolve(config[ConsoleLogFormat.Key], Console.IsOutputRedirected) == ConsoleLogFormat.Json)
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(o =>
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                o.JsonWriterOptions = new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
            });
        }

        var services = builder.Services;
        services.AddValidatedOptions<DataOptions>(config, DataOptions.Section, o => ValidateData(o));
        services.AddValidatedOptions<DatabaseOptions>(config, DatabaseOptions.Section, DatabaseOptions.Validate);
        services.AddValidatedOptions<BusOptions>(config, BusOptions.Section, ValidateBus);
        services.AddValidatedOptions<RedisOptions>(config, RedisOptions.Section, RedisConnections.Validate);
        services.AddValidatedOptions<TelemetryOptions>(config, TelemetryOptions.Section, ValidateTelemetry);

        var telemetry = config.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new();
        services.AddNasSavTelemetry(telemetry.ServiceName ?? serviceName, telemetry);

        var health = services.AddHealthChecks();
        health.AddCheck("self", () => HealthCheckResult.Healthy(), tags: ["live"]);
        if (!string.IsNullOrWhiteSpace(config[$"{RedisOptions.Section}:Endpoint"]))
        {
            services.AddNasSavRedis(config);
            health.AddCheck<RedisPingHealthCheck>("redis", tags: ["ready"]);
        }
        services.AddProblemDetails();
        return builder;
    }

    /// <summary>
    /// YAML sits between appsettings and environment variables so an env var still overrides it.
    /// Path: NASSAV_CONFIG, else Config:File, else config.yaml in the content root (optional).
    /// </summary>
    public static void AddYamlConfiguration(ConfigurationManager configuration, string contentRoot)
    {
        var path = Environment.GetEnvironmentVariable("NASSAV_CONFIG") ?? configuration["Config:File"];
        var optional = path is null;
        path ??= Path.Combine(contentRoot, "config.yaml");
        if (!Path.IsPathRooted(path)) path = Path.GetFullPath(path, contentRoot);
        var sources = ((IConfigurationBuilder)configuration).Sources;
        var index = sources.ToList().FindIndex(s => s is EnvironmentVariablesConfigurationSource);
        var yaml = new YamlConfigurationSource(path, optional);
        if (index < 0) sources.Add(yaml);
        else sources.Insert(index, yaml);
    }

    private static IEnumerable<string?> ValidateData(DataOptions o)
    {
        if (string.IsNullOrWhiteSpace(o.Root)) yield return "Root must not be empty";
        else if (o.Root.IndexOfAny(Path.GetInvalidPathChars()) >= 0) yield return $"Root '{o.Root}' is not a valid path";
    }

    private static IEnumerable<string?> ValidateTelemetry(TelemetryOptions o)
    {
        if (!string.IsNullOrWhiteSpace(o.OtlpEndpoint) &&
            (!Uri.TryCreate(o.OtlpEndpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
            yield return $"OtlpEndpoint '{o.OtlpEndpoint}' must be an absolute http(s) URL";
        if (o.OtlpProtocol is not (null or "" or "grpc" or "http/protobuf"))
            yield return $"OtlpProtocol '{o.OtlpProtocol}' must be grpc or http/protobuf";
        if (!string.IsNullOrWhiteSpace(o.PrometheusPath) && (!o.PrometheusPath.StartsWith('/') || o.PrometheusPath.Length < 2
                || o.PrometheusPath.StartsWith("/nassav/", StringComparison.OrdinalIgnoreCase) || o.PrometheusPath.StartsWith("/health", StringComparison.OrdinalIgnoreCase)))
            yield return $"PrometheusPath '{o.PrometheusPath}' must be a path such as /metrics, outside /nassav and /health";
    }

    private static IEnumerable<string?> ValidateBus(BusOptions o)
    {
        if (o.Transport == BusTransport.RabbitMq && !Uri.TryCreate(o.RabbitMqUri, UriKind.Absolute, out _))
            yield return $"RabbitMqUri '{o.RabbitMqUri}' must be an absolute amqp:// URI when Bus:Transport is RabbitMq";
        if (!string.IsNullOrEmpty(o.RabbitMqManagementUri)
            && !(Uri.TryCreate(o.RabbitMqManagementUri, UriKind.Absolute, out var management) && management.Scheme is "http" or "https"))
            yield return $"RabbitMqManagementUri '{o.RabbitMqManagementUri}' must be an absolute http(s) URL";
        if (o.Retry.Limit is < 0 or > 100) yield return "Retry:Limit must be between 0 and 100";
        if (o.Retry.MinInterval < TimeSpan.Zero || o.Retry.MaxInterval < o.Retry.MinInterval || o.Retry.IntervalDelta < TimeSpan.Zero)
            yield return "Retry: intervals must be positive and MaxInterval at least MinInterval";
    }

    /// <summary>
    /// /health/live answers while the process runs; /health/ready checks database, broker and Redis. Also the
    /// Prometheus scraping endpoint when Telemetry:PrometheusPath is set: every host maps health, so every host has it.
    /// </summary>
    public static WebApplication MapNasSavHealth(this WebApplication app)
    {
        app.MapNasSavTelemetry(app.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new());
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = c => c.Tags.Contains("live"), ResponseWriter = WriteHealth });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") || c.Tags.Contains("live"), ResponseWriter = WriteHealth });
        return app;
    }

    private static Task WriteHealth(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                duration_ms = Math.Round(e.Value.Duration.TotalMilliseconds, 1),
            }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }
}
