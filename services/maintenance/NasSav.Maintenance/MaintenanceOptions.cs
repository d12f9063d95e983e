using NasSav.Maintenance.Scheduling;
using NasSav.ServiceDefaults.Configuration;

namespace NasSav.Maintenance;

/// <summary>Configuration section <c>Maintenance</c> (docs/maintenance.md).</summary>
public sealed class MaintenanceOptions
{
    public const string Section = "Maintenance";

    /// <summary>Runs older than this are deleted.</summary>
    public int RunRetentionDays { get; set; } = 30;
    /// <summary>A running run refreshes its heartbeat this often.</summary>
    public int HeartbeatSeconds { get; set; } = 15;
    /// <summary>A running run without a heartbeat for this long is abandoned (its instance died) and the job may run again.</summary>
    public int StaleAfterSeconds { get; set; } = 120;
    /// <summary>Where each job's last JSON report is written; default {Data:Root}/reports.</summary>
    public string? ReportFolder { get; set; }
    /// <summary>Per job: Cron, TimeZone, Enabled, Apply. Unlisted built-in jobs keep their defaults.</summary>
    public Dictionary<string, JobScheduleOptions> Jobs { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    public BackupOptions Backups { get; set; } = new();
    public CheckOptions Checks { get; set; } = new();
    /// <summary>Sync tasks by name; each becomes the job <c>sync-{name}</c>.</summary>
    public Dictionary<string, Sync.SyncTaskOptions> Sync { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    public Import.ImportOptions Import { get; set; } = new();
    /// <summary>The media-server export (Jellyfin, Emby, Kodi, Plex): off unless Enabled.</summary>
    public Export.ExportOptions Export { get; set; } = new();

    public string ResolvedReportFolder(DataOptions data) => Path.GetFullPath(ReportFolder ?? Path.Combine(data.ResolvedRoot, "reports"));

    public static IEnumerable<string?> Validate(MaintenanceOptions o)
    {
        if (o.RunRetentionDays is < 1 or > 3650) yield return $"RunRetentionDays {o.RunRetentionDays} must be between 1 and 3650";
        if (o.HeartbeatSeconds is < 1 or > 3600) yield return $"HeartbeatSeconds {o.HeartbeatSeconds} must be between 1 and 3600";
        if (o.StaleAfterSeconds < o.HeartbeatSeconds * 2) yield return $"StaleAfterSeconds {o.StaleAfterSeconds} must be at least twice HeartbeatSeconds";
        foreach (var (name, job) in o.Jobs)
        {
            if (!CronSchedule.IsOff(job.Cron) && !CronSchedule.TryParse(job.Cron!, job.TimeZone, out _, out var error))
                yield return $"Jobs:{name}:{error}";
            else if (job.TimeZone is not null && !CronSchedule.TryFindZone(job.TimeZone, out _))
                yield return $"Jobs:{name}:TimeZone '{job.TimeZone}' is not a known time zone";
        }
        if (o.Backups.Days < 0) yield return $"Backups:Days {o.Backups.Days} must not be negative";
        if (o.Checks.StagingMaxAgeHours < 0) yield return $"Checks:StagingMaxAgeHours {o.Checks.StagingMaxAgeHours} must not be negative";
        foreach (var (name, task) in o.Sync)
            foreach (var error in task.Validate()) yield return $"Sync:{name}:{error}";
        foreach (var error in o.Import.Validate()) yield return $"Import:{error}";
        foreach (var error in o.Export.Validate()) yield return $"Export:{error}";
    }
}

public sealed class JobScheduleOptions
{
    /// <summary>Quartz cron (6-7 fields, seconds first) or classic 5-field cron; "" or "off" disables the schedule.</summary>
    public string? Cron { get; set; }
    /// <summary>IANA or Windows id; default the host's local zone.</summary>
    public string? TimeZone { get; set; }
    public bool? Enabled { get; set; }
    /// <summary>Scheduled runs of checks repair (true, as NASSAV's beat schedule) or only report.</summary>
    public bool? Apply { get; set; }
}

public sealed class BackupOptions
{
    /// <summary>Default {Data:Root}/backup.</summary>
    public string? Folder { get; set; }
    /// <summary>Backups older than this many days are deleted; 0 keeps everything.</summary>
    public int Days { get; set; } = 30;
    /// <summary>pg_dump executable; default: on PATH, else the newest /usr/lib/postgresql/*/bin/pg_dump.</summary>
    public string? PgDumpPath { get; set; }
    public string? PgRestorePath { get; set; }
    /// <summary>Seconds pg_dump may take.</summary>
    public int TimeoutSeconds { get; set; } = 3600;
    /// <summary>The database to back up when not this host's own (e.g. catalog's on another server).</summary>
    public DatabaseOptions? Database { get; set; }

    public string ResolvedFolder(DataOptions data) => Path.GetFullPath(Folder ?? Path.Combine(data.ResolvedRoot, "backup"));
}

public sealed class CheckOptions
{
    /// <summary>Orphaned media files are reported; deleted in apply mode only when this is true.</summary>
    public bool DeleteOrphans { get; set; }
    /// <summary>Staging folders of download attempts: default {MediaRoot}/.staging.</summary>
    public string? StagingFolder { get; set; }
    /// <summary>A staging folder untouched this long is an orphan of an old attempt.</summary>
    public double StagingMaxAgeHours { get; set; } = 24;
    /// <summary>Orphaned staging folders are partial downloads, not media: deleted in apply mode unless false.</summary>
    public bool DeleteStaleStaging { get; set; } = true;
    public int InventoryPageSize { get; set; } = 500;
    /// <summary>Seconds to wait for catalog's answer to an inventory or repair request.</summary>
    public int CatalogTimeoutSeconds { get; set; } = 60;
}
