using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using NasSav.ServiceDefaults.Configuration;
using NasSav.ServiceDefaults.Hosting;

namespace NasSav.Maintenance.Backups;

/// <summary>
/// <c>NasSav.Maintenance.Host restore --from BACKUP_FOLDER [--Database:Provider=.. --Database:ConnectionString=..]</c>:
/// restores a database backup into the configured (empty) database, with the same configuration sources as the
/// host (appsettings, NASSAV_CONFIG YAML, environment, command line). Run with NasSav stopped.
/// </summary>
public static class RestoreCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var from = args.SkipWhile(a => a != "--from").Skip(1).FirstOrDefault();
        if (string.IsNullOrWhiteSpace(from))
        {
            await error.WriteLineAsync("usage: restore --from <backup folder database_YYYYmmdd_HHMMSS> [--Database:Provider=Postgres --Database:ConnectionString=...]");
            return 2;
        }
        var rest = args.Where((a, i) => a != "--from" && (i == 0 || args[i - 1] != "--from")).ToArray();
        var builder = WebApplication.CreateBuilder(rest);
        NasSavHosting.AddYamlConfiguration(builder.Configuration, builder.Environment.ContentRootPath);
        var config = builder.Configuration;
        var database = config.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var data = config.GetSection(DataOptions.Section).Get<DataOptions>() ?? new DataOptions();
        var backups = config.GetSection($"{MaintenanceOptions.Section}:Backups").Get<BackupOptions>() ?? new BackupOptions();
        try
        {
            await DatabaseRestore.RestoreAsync(Path.GetFullPath(from), database, data, backups.PgRestorePath, CancellationToken.None);
            await output.WriteLineAsync($"restored {from} into the {database.Provider} database");
            return 0;
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or NasSav.Media.Processes.ProcessRunException or Npgsql.NpgsqlException or Microsoft.Data.Sqlite.SqliteException)
        {
            await error.WriteLineAsync($"restore failed: {ex.Message}");
            return 1;
        }
    }
}
