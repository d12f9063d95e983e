using System.Diagnostics;

namespace NasSav.Testing;

/// <summary>
/// Real servers for tests. The README's test command starts them once (deploy/local) and exports
/// NASSAV_TEST_*; a plain `dotnet test` starts any that is missing through the same scripts (and
/// leaves it running for the next run; `deploy/local/servers.sh stop` stops it by PID).
/// </summary>
public static class LocalServers
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static Task<string> PostgresAsync() => EnsureAsync("NASSAV_TEST_POSTGRES", "postgres.sh");
    public static Task<string> RedisAsync() => EnsureAsync("NASSAV_TEST_REDIS", "redis.sh");
    public static Task<string> RabbitMqAsync() => EnsureAsync("NASSAV_TEST_RABBITMQ", "rabbitmq.sh");
    /// <summary>Garnet (a Redis-compatible server, started with --lua): a second server for the Redis client's tests.</summary>
    public static Task<string> GarnetAsync() => EnsureAsync("NASSAV_TEST_GARNET", "garnet.sh");
    /// <summary>An S3-compatible test server (npm s3rver): http://127.0.0.1:PORT, any credentials.</summary>
    public static Task<string> S3rverAsync() => EnsureAsync("NASSAV_TEST_S3RVER", "s3rver.sh");

    /// <summary>
    /// A bucket of its own on the test s3rver (created on first write), as configuration under
    /// <paramref name="section"/> (e.g. <c>Storage:S3</c>): ServiceUrl, AccessKey, SecretKey, Bucket.
    /// </summary>
    public static async Task<Dictionary<string, string?>> S3rverBucketAsync(string section) => new()
    {
        [$"{section}:ServiceUrl"] = await S3rverAsync(),
        [$"{section}:AccessKey"] = "S3RVER",
        [$"{section}:SecretKey"] = "S3RVER",
        [$"{section}:Bucket"] = "nassav-" + Guid.NewGuid().ToString("N")[..12],
    };

    /// <summary>
    /// The management HTTP API of the test broker (http://user:pass@host:port), or null when
    /// NASSAV_TEST_RABBITMQ names a broker without NASSAV_TEST_RABBITMQ_MANAGEMENT beside it.
    /// </summary>
    public static async Task<string?> RabbitMqManagementAsync()
    {
        await RabbitMqAsync();
        var value = Environment.GetEnvironmentVariable("NASSAV_TEST_RABBITMQ_MANAGEMENT");
        return string.IsNullOrEmpty(value) ? null : value;
    }

    private static async Task<string> EnsureAsync(string variable, string script)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrEmpty(value)) return value;
        await Gate.WaitAsync();
        try
        {
            value = Environment.GetEnvironmentVariable(variable);
            if (!string.IsNullOrEmpty(value)) return value;
            var path = Path.Combine(RepoPaths.Root, "deploy", "local", script);
            await RunAsync(path, "start");
            var env = (await RunAsync(path, "env")).Trim();
            var prefix = variable + "=";
            var line = env.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))
                       ?? throw new InvalidOperationException($"{script} env did not print {variable}: {env}");
            value = line[prefix.Length..];
            Environment.SetEnvironmentVariable(variable, value);
            // Companion lines of the same script (e.g. NASSAV_TEST_RABBITMQ_MANAGEMENT), unless already set.
            foreach (var other in env.Split('\n'))
            {
                var eq = other.IndexOf('=');
                if (eq > 0 && other.StartsWith("NASSAV_TEST_", StringComparison.Ordinal)
                    && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(other[..eq])))
                    Environment.SetEnvironmentVariable(other[..eq], other[(eq + 1)..].Trim());
            }
            return value;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<string> RunAsync(string script, string verb)
    {
        var psi = new ProcessStartInfo("bash", [script, verb]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await p.WaitForExitAsync(timeout.Token);
        if (p.ExitCode != 0) throw new InvalidOperationException($"{script} {verb} failed ({p.ExitCode}): {await stderr}");
        return await stdout;
    }
}
