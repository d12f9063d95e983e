using Microsoft.Data.Sqlite;
using Npgsql;
using NasSav.ServiceDefaults.Configuration;
using NasSav.Database;
using NasSav.Media.Processes;

namespace NasSav.Maintenance.Backups;

/// <summary>
/// Restores a database_{stamp}/ backup into an empty database (refuses a database that has tables, so a
/// restore never mixes with live data). SQLite: the copy becomes the database file; PostgreSQL: pg_restore.
/// Run it with NasSav stopped (docs/maintenance.md, "Restore").
/// </summary>
public static class DatabaseRestore
{
    public static async Task RestoreAsync(string backupFolder, DatabaseOptions target, DataOptions data, string? pgRestorePath, CancellationToken ct)
    {
        if (!Directory.Exists(backupFolder)) throw new DirectoryNotFoundException($"backup folder '{backupFolder}' does not exist");
        if (target.Provider == DatabaseProvider.Postgres)
        {
            var dump = Path.Combine(backupFolder, DatabaseBackup.PostgresFile);
            if (!File.Exists(dump)) throw new FileNotFoundException($"'{backupFolder}' holds no {DatabaseBackup.PostgresFile} (a PostgreSQL backup)", dump);
            await using (var conn = new NpgsqlConnection(target.ConnectionString))
            {
                await conn.OpenAsync(ct);
                await using var cmd = new NpgsqlCommand("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", conn);
                if (Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) > 0)
                    throw new InvalidOperationException("the target database is not empty: restore into a new, empty database");
            }
            var spec = PostgresTools.Spec("pg_restore", pgRestorePath,
                ["--no-owner", "--no-privileges", "--exit-on-error", "--dbname", new NpgsqlConnectionStringBuilder(target.ConnectionString).Database!, dump],
                target.ConnectionString!, TimeSpan.FromHours(6));
            await ProcessRunner.RunCheckedAsync(spec, ct);
        }
        else
        {
            var copy = Path.Combine(backupFolder, DatabaseBackup.SqliteFile);
            if (!File.Exists(copy)) throw new FileNotFoundException($"'{backupFolder}' holds no {DatabaseBackup.SqliteFile} (a SQLite backup)", copy);
            var path = new SqliteConnectionStringBuilder(DatabaseRegistration.SqliteConnectionString(target, data)).DataSource;
            if (File.Exists(path) && new FileInfo(path).Length > 0)
                throw new InvalidOperationException($"'{path}' exists: move it away first (restore never overwrites a database)");
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var temp = path + ".restoring";
            File.Copy(copy, temp, overwrite: true);
            File.Move(temp, path, overwrite: true);
        }
    }
}
