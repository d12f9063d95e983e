using NasSav.ServiceDefaults.Configuration;

namespace NasSav.ServiceDefaults.Redis;

/// <summary>What a <see cref="RedisClient"/> needs, taken from <see cref="RedisOptions"/> (section "Redis").</summary>
public sealed record RedisClientSettings(string Endpoint, string? Password = null)
{
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>First wait after a failed connection attempt; doubles up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan MinReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(100);
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>CLIENT SETNAME on connect (shows in CLIENT LIST); optional.</summary>
    public string? ClientName { get; init; }

    public (string Host, int Port) HostAndPort => Split(Endpoint);

    public static RedisClientSettings From(RedisOptions o) => new(o.Endpoint ?? throw new InvalidOperationException("Redis:Endpoint is not set"), o.Password)
    {
        CommandTimeout = o.CommandTimeout,
        ConnectTimeout = o.ConnectTimeout,
        ClientName = o.ClientName,
    };

    /// <summary>host:port, [v6]:port or a bare host (port 6379).</summary>
    public static (string Host, int Port) Split(string endpoint)
    {
        var colon = endpoint.LastIndexOf(':');
        if (colon > 0 && !endpoint.EndsWith(']') && int.TryParse(endpoint[(colon + 1)..], out var port))
            return (endpoint[..colon].Trim('[', ']'), port);
        return (endpoint.Trim('[', ']'), 6379);
    }

    public static IEnumerable<string?> Validate(RedisOptions o)
    {
        if (!string.IsNullOrWhiteSpace(o.Endpoint))
        {
            var colon = o.Endpoint.LastIndexOf(':');
            if (colon == 0 || (colon > 0 && (!int.TryParse(o.Endpoint[(colon + 1)..], out var port) || port is < 1 or > 65535)))
                yield return $"Endpoint '{o.Endpoint}' must be host:port";
        }
        if (o.CommandTimeout <= TimeSpan.Zero) yield return "CommandTimeout must be positive";
        if (o.ConnectTimeout <= TimeSpan.Zero) yield return "ConnectTimeout must be positive";
    }
}
