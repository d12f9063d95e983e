using NasSav.Media.Storage.S3;

namespace NasSav.Maintenance.Sync;

public enum SyncTargetKind { Folder, S3 }

/// <summary>Which files a sync copies.</summary>
public enum CopyRule
{
    /// <summary>Only files the target does not have.</summary>
    Missing,
    /// <summary>Missing files and files whose size differs.</summary>
    SizeDiffers,
    /// <summary>Missing files and files newer at the source than at the target.</summary>
    SourceNewer,
}

/// <summary>One sync task (<c>Maintenance:Sync:{name}</c>), run as the job <c>sync-{name}</c>.</summary>
public sealed class SyncTaskOptions
{
    /// <summary>Folders to copy; default the backup folder and the report folder.</summary>
    public List<string> Sources { get; set; } = [];
    public SyncTargetKind Target { get; set; } = SyncTargetKind.Folder;
    /// <summary>Target folder (Folder).</summary>
    public string? Path { get; set; }
    public S3Settings S3 { get; set; } = new();
    public CopyRule Rule { get; set; } = CopyRule.SizeDiffers;
    /// <summary>Glob patterns on the path relative to its source (<c>*</c>, <c>**</c>, <c>?</c>); empty: everything.</summary>
    public List<string> Include { get; set; } = [];
    public List<string> Exclude { get; set; } = [];
    /// <summary>Only files modified within this many days; 0: all (NASSAV's sync_backups --days).</summary>
    public int Days { get; set; }
    /// <summary>Files copied at the same time.</summary>
    public int Threads { get; set; } = 4;
    /// <summary>Slow storage (USB disk, NAS over Wi-Fi): one thread, longer timeouts, more retries with backoff.</summary>
    public bool SlowStorage { get; set; }
    public int Retries { get; set; } = 3;
    public int TimeoutSeconds { get; set; } = 300;
    /// <summary>Total bytes per second over all threads; 0: no cap.</summary>
    public long BandwidthBytesPerSecond { get; set; }
    /// <summary>Default "30 4 * * *" (after the backups).</summary>
    public string? Cron { get; set; }

    public int EffectiveThreads => SlowStorage ? 1 : Threads;
    public int EffectiveRetries => SlowStorage ? Math.Max(Retries, 8) : Retries;
    public TimeSpan EffectiveTimeout => TimeSpan.FromSeconds(SlowStorage ? Math.Max(TimeoutSeconds * 4, 1200) : TimeoutSeconds);
    public TimeSpan BackoffBase => SlowStorage ? TimeSpan.FromSeconds(5) : TimeSpan.FromSeconds(1);

    public IEnumerable<string> Validate()
    {
        if (Target == SyncTargetKind.Folder && string.IsNullOrWhiteSpace(Path)) yield return "Path is required for a Folder target";
        if (Target == SyncTargetKind.S3)
            foreach (var problem in S3.Validate("S3")) yield return problem;
        if (Threads is < 1 or > 64) yield return $"Threads {Threads} must be between 1 and 64";
        if (Retries is < 0 or > 50) yield return $"Retries {Retries} must be between 0 and 50";
        if (TimeoutSeconds is < 1 or > 86400) yield return $"TimeoutSeconds {TimeoutSeconds} must be between 1 and 86400";
        if (BandwidthBytesPerSecond < 0) yield return "BandwidthBytesPerSecond must not be negative";
        if (Days < 0) yield return "Days must not be negative";
        if (!Scheduling.CronSchedule.IsOff(Cron) && !Scheduling.CronSchedule.TryParse(Cron!, null, out _, out var error)) yield return error!;
    }
}
