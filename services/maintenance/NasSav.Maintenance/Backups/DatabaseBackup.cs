using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using NasSav.ServiceDefaults.Configuration;
using NasSav.Database;
using NasSav.Media.Processes;

namespace NasSav.Maintenance.Backups;

/// <summary>What one database backup produced.</summary>
public sealed record DatabaseBackupResult(string Folder, string File, string Provider, long Size);

/// <summary>
/// A consistent copy of a live database: <c>VACUUM INTO</c> for SQLite (a transactionally consistent copy,
/// never a raw file copy of a WAL database) and <c>pg_dump -Fc</c> (one snapshot) for PostgreSQL. Written to
/// a hidden partial folder and renamed when complete.
/// </summary>
public sealed class DatabaseBackup(IOptions<MaintenanceOptions> options, IOptions<DatabaseOptions> hostDatabase, IOptions<DataOptions> data)
{
    public const string SqliteFile = "nassav.db";
    public const string PostgresFile = "nassav.dump";

    public DatabaseOptions Source => options.Value.Backups.Database ?? hostDatabase.Value;

    public async Task<DatabaseBackupResult> TakeAsync(string root, string stamp, CancellationToken ct)
    {
        var db = Source;
        var name = $"database_{stamp}";
        var final = Path.Combine(root, name);
        var partial = Path.Combine(root, $".{name}.partial");
        if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
        Directory.CreateDirectory(partial);
        try
        {
            string file;
            if (db.Provider == DatabaseProvider.Postgres)
            {
                file = PostgresFile;
                var spec = PostgresTools.Spec("pg_dump", options.Value.Backups.PgDumpPath,
                    ["--format=custom", "--no-owner", "--no-privileges", "--file", Path.Combine(partial, file)],
                    db.ConnectionString!, TimeSpan.FromSeconds(options.Value.Backups.TimeoutSeconds));
                await ProcessRunner.RunCheckedAsync(spec, ct);
            }
            else
            {
                file = SqliteFile;
                var target = Path.Combine(partial, file);
                await using var conn = new SqliteConnection(DatabaseRegistration.SqliteConnectionString(db, data.Value));
                await conn.OpenAsync(ct);
                await using var cmd = conn.CreateCommand();
                cmd.CommandText = "VACUUM INTO $path";
                cmd.Parameters.AddWithValue("$path", target);
                await cmd.ExecuteNonQueryAsync(ct);
            }
            var size = new FileInfo(Path.Combine(partial, file)).Length;
            var info = new
            {
                backup_time = stamp,
                backup_datetime = DateTimeOffset.UtcNow,
                provider = db.Provider.ToString(),
                file,
                size_bytes = size,
                restore = db.Provider == DatabaseProvider.Postgres
                    ? $"pg_restore --no-owner --no-privileges --exit-on-error -d <empty database> {file}   (or: NasSav.Maintenance.Host restore --from <this folder>)"
                    : $"stop NasSav, then copy {file} over the database file   (or: NasSav.Maintenance.Host restore --from <this folder>)",
            };
            await File.WriteAllTextAsync(Path.Combine(partial, "backup_info.json"),
                System.Text.Json.JsonSerializer.Serialize(info, Scheduling.JobRunner.ReportJson), ct);
            if (Directory.Exists(final)) Directory.Delete(final, recursive: true);
            Directory.Move(partial, final);
            return new DatabaseBackupResult(final, Path.Combine(final, file), db.Provider.ToString(), size);
        }
        catch
        {
            try { Directory.Delete(partial, recursive: true); } catch (IOException) { }
            throw;
        }
    }
}
