namespace NasSav.ServiceDefaults.Configuration;

/// <summary>Where NasSav keeps its data. Everything else defaults to folders below <see cref="Root"/>.</summary>
public sealed class DataOptions
{
    public const string Section = "Data";
    /// <summary>The one folder a standalone install writes to (database, media, logs, backups).</summary>
    public string Root { get; set; } = "data";
    /// <summary>Media root; defaults to {Root}/resource (cover/, thumbnails/, video/, avatar/).</summary>
    public string? MediaRoot { get; set; }
    /// <summary>Prefix put before absolute paths by /downloads/abspath (NASSAV's FilePathPrefix). Empty by default.</summary>
    public string FilePathPrefix { get; set; } = "";

    public string ResolvedRoot => Path.GetFullPath(Root);
    public string ResolvedMediaRoot => Path.GetFullPath(MediaRoot ?? Path.Combine(ResolvedRoot, "resource"));
}

public enum DatabaseProvider { Sqlite, Postgres }

public sealed class DatabaseOptions
{
    public const string Section = "Database";
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;
    /// <summary>Empty for SQLite means {Data:Root}/nassav.db.</summary>
    public string? ConnectionString { get; set; }

    public static IEnumerable<string?> Validate(DatabaseOptions o)
    {
        if (o.Provider == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(o.ConnectionString))
            yield return "ConnectionString is required when Database:Provider is Postgres";
    }
}

public enum BusTransport { InMemory, RabbitMq }

public sealed class BusOptions
{
    public const string Section = "Bus";
    public BusTransport Transport { get; set; } = BusTransport.InMemory;
    /// <summary>amqp://user:pass@host:port/vhost</summary>
    public string? RabbitMqUri { get; set; }
    /// <summary>The broker's management API (http://user:pass@host:15672), for the error-queue API; by default the AMQP
    /// host on port 15672 with the AMQP credentials.</summary>
    public string? RabbitMqManagementUri { get; set; }
    public BusRetryOptions Retry { get; set; } = new();
}

/// <summary><c>Bus:Retry</c>: how long every endpoint waits out a transient database or broker failure before a message faults.</summary>
public sealed class BusRetryOptions
{
    /// <summary>Retries after the first attempt; 0 turns the policy off.</summary>
    public int Limit { get; set; } = 10;
    public TimeSpan MinInterval { get; set; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan MaxInterval { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>Growth of the interval per retry (MassTransit's exponential policy).</summary>
    public TimeSpan IntervalDelta { get; set; } = TimeSpan.FromSeconds(1);
}

public sealed class RedisOptions
{
    public const string Section = "Redis";
    /// <summary>host:port of a Redis server; empty means in-process lock and cache.</summary>
    public string? Endpoint { get; set; }
    public string? Password { get; set; }
    /// <summary>How long one command may wait for its answer.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>CLIENT SETNAME sent on connect, so CLIENT LIST shows which service a connection belongs to.</summary>
    public string? ClientName { get; set; }
}

public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";
    /// <summary>OTLP endpoint (http://host:4317); falls back to OTEL_EXPORTER_OTLP_ENDPOINT; none means off.</summary>
    public string? OtlpEndpoint { get; set; }
    public string? ServiceName { get; set; }
    /// <summary>grpc or http/protobuf; falls back to OTEL_EXPORTER_OTLP_PROTOCOL, then grpc.</summary>
    public string? OtlpProtocol { get; set; }
    /// <summary>Path of the Prometheus scraping endpoint on this host (e.g. /metrics); none means off.</summary>
    public string? PrometheusPath { get; set; }
}
