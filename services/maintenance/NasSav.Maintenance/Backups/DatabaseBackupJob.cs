using Microsoft.Extensions.Options;
using NasSav.Maintenance.Scheduling;
using NasSav.ServiceDefaults.Configuration;

namespace NasSav.Maintenance.Backups;

/// <summary>backup-database: a consistent copy of the database (catalog's, and ours where shared), then retention.</summary>
public sealed class DatabaseBackupJob(DatabaseBackup backup, IOptions<MaintenanceOptions> options, IOptions<DataOptions> data, TimeProvider clock) : IMaintenanceJob
{
    public string Name => "backup-database";
    public string Description => "数据库备份 (pg_dump / VACUUM INTO), 按天数保留";
    public string? DefaultCron => "30 1 * * *";

    public async Task RunAsync(JobContext context)
    {
        var root = options.Value.Backups.ResolvedFolder(data.Value);
        Directory.CreateDirectory(root);
        var now = clock.GetUtcNow();
        context.Progress(0, 1, message: "backing up the database");
        var stamp = BackupFolder.Stamp(now);
        var result = await backup.TakeAsync(root, stamp, context.Cancellation);
        context.Log($"{result.Provider} backup written to {result.Folder} ({result.Size} bytes)");
        var pruned = BackupFolder.Prune(root, "database_", options.Value.Backups.Days, now);
        foreach (var p in pruned) context.Log($"pruned {p}");
        context.Count("backups", 1);
        context.Count("bytes", result.Size);
        context.Count("pruned", pruned.Count);
        context.Progress(1, 1, result.Size, result.Size);
        context.Report = new { backup_time = stamp, provider = result.Provider, folder = result.Folder, size_bytes = result.Size, pruned };
        context.Summary = $"{result.Provider} backup {Path.GetFileName(result.Folder)} ({result.Size} bytes), {pruned.Count} pruned";
    }
}
