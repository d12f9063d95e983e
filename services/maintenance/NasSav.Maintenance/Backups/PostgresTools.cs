using Npgsql;
using NasSav.Media.Processes;

namespace NasSav.Maintenance.Backups;

/// <summary>pg_dump / pg_restore: where they are and how to point them at a database without a password on the command line.</summary>
public static class PostgresTools
{
    /// <summary>The configured path, else the tool on PATH, else the newest /usr/lib/postgresql/*/bin one (Debian keeps them there).</summary>
    public static string Locate(string tool, string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured)) return configured;
        if (ExecutableLocator.Find(tool) is { } onPath) return onPath;
        const string debian = "/usr/lib/postgresql";
        if (Directory.Exists(debian))
        {
            var newest = Directory.GetDirectories(debian)
                .Select(d => (Dir: d, Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .OrderByDescending(x => x.Version)
                .Select(x => Path.Combine(x.Dir, "bin", tool))
                .FirstOrDefault(File.Exists);
            if (newest is not null) return newest;
        }
        return tool;
    }

    /// <summary>libpq's environment for an Npgsql connection string (PGPASSWORD never appears in a process list).</summary>
    public static Dictionary<string, string?> LibpqEnvironment(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        return new Dictionary<string, string?>
        {
            ["PGHOST"] = b.Host,
            ["PGPORT"] = b.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PGUSER"] = b.Username,
            ["PGPASSWORD"] = b.Password,
            ["PGDATABASE"] = b.Database,
            ["PGSSLMODE"] = b.SslMode switch
            {
                SslMode.Disable => "disable",
                SslMode.Require => "require",
                SslMode.VerifyCA => "verify-ca",
                SslMode.VerifyFull => "verify-full",
                _ => "prefer",
            },
            ["PGCONNECT_TIMEOUT"] = "15",
        };
    }

    public static ProcessSpec Spec(string tool, string? configured, IReadOnlyList<string> arguments, string connectionString, TimeSpan timeout) =>
        new(Locate(tool, configured), arguments)
        {
            Environment = LibpqEnvironment(connectionString),
            Timeout = timeout,
            NotFoundHint = $"install the PostgreSQL client (postgresql-client) or set Maintenance:Backups:{(tool == "pg_dump" ? "PgDumpPath" : "PgRestorePath")}",
        };
}
