using Microsoft.Extensions.Options;
using NasSav.Maintenance.Library;
using NasSav.Maintenance.Scheduling;
using NasSav.ServiceDefaults.Configuration;

namespace NasSav.Maintenance.Backups;

/// <summary>
/// backup-avid-list: avid_backup_{stamp}.json in NASSAV's format (reference §6.4): backup_time, backup_datetime,
/// total_count, avids (sorted, upper case); skipped for an empty library; retention by age.
/// </summary>
public sealed class AvidListBackupJob(LibraryClient library, IOptions<MaintenanceOptions> options, IOptions<DataOptions> data, TimeProvider clock) : IMaintenanceJob
{
    public string Name => "backup-avid-list";
    public string Description => "AVID 列表备份 (JSON), 按天数保留";
    public string? DefaultCron => "0 2 * * *";

    public async Task RunAsync(JobContext context)
    {
        var root = options.Value.Backups.ResolvedFolder(data.Value);
        Directory.CreateDirectory(root);
        var now = clock.GetUtcNow();
        var stamp = BackupFolder.Stamp(now);
        var avids = (await library.AllResourcesAsync(context.Cancellation))
            .Select(r => r.Avid.ToUpperInvariant()).Distinct().Order(StringComparer.Ordinal).ToList();
        string? file = null;
        if (avids.Count == 0)
        {
            context.Log("the library is empty: no AVID list written");
        }
        else
        {
            file = Path.Combine(root, $"avid_backup_{stamp}.json");
            var body = new { backup_time = stamp, backup_datetime = now.ToString("o"), total_count = avids.Count, avids };
            var temp = file + ".partial";
            await File.WriteAllTextAsync(temp, System.Text.Json.JsonSerializer.Serialize(body, JobRunner.ReportJson), context.Cancellation);
            File.Move(temp, file, overwrite: true);
            context.Log($"{avids.Count} AVIDs written to {file}");
        }
        var pruned = BackupFolder.Prune(root, "avid_backup_", options.Value.Backups.Days, now);
        context.Count("avids", avids.Count);
        context.Count("pruned", pruned.Count);
        context.Report = new { backup_time = stamp, total_count = avids.Count, file, pruned };
        context.Summary = file is null ? "empty library: skipped" : $"{avids.Count} AVIDs in {Path.GetFileName(file)}";
    }
}
