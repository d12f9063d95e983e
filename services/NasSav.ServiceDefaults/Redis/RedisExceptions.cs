namespace NasSav.ServiceDefaults.Redis;

/// <summary>Base of every error the Redis client raises; the message always names the endpoint.</summary>
public class RedisException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The connection could not be made, broke while the command was pending, or is backing off.</summary>
public class RedisConnectionException(string endpoint, string message, Exception? inner = null)
    : RedisException($"Redis at {endpoint}: {message}", inner)
{
    public string Endpoint { get; } = endpoint;
}

/// <summary>The server refused the password (AUTH): retrying will not help until the configuration changes.</summary>
public sealed class RedisAuthenticationException(string endpoint, string serverText)
    : RedisConnectionException(endpoint, $"authentication failed (check Redis:Password): {serverText}");

/// <summary>The server answered with an error (<c>-ERR ...</c>); <see cref="ServerText"/> is its text verbatim.</summary>
public sealed class RedisServerException(string endpoint, string command, string serverText)
    : RedisException($"Redis at {endpoint} refused {command}: {serverText}")
{
    public string ServerText { get; } = serverText;
    /// <summary>The error's first word, e.g. ERR, WRONGTYPE, NOSCRIPT.</summary>
    public string Prefix => ServerText.Split(' ', 2)[0];
}

/// <summary>No answer within the command timeout. The connection stays up; the late answer is discarded.</summary>
public sealed class RedisTimeoutException(string endpoint, string command, TimeSpan timeout)
    : RedisException($"Redis at {endpoint} did not answer {command} within {timeout.TotalMilliseconds:0} ms");
