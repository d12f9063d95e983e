using NasSav.ServiceDefaults.Configuration;

namespace NasSav.Downloader;

/// <summary>The <c>Downloader</c> configuration section (see docs/downloader.md).</summary>
public sealed class DownloaderOptions
{
    public const string Section = "Downloader";

    /// <summary>This instance's name in lease holders, heartbeats and logs; default {machine}-{pid}.</summary>
    public string? InstanceName { get; set; }

    /// <summary>
    /// Where attempts write ({StagingRoot}/{AVID}/{epoch}); default {media root}/.staging, so that the final move into
    /// the folder media store is a rename on the same volume. Every downloader instance must see the same folder for
    /// a takeover to resume from the segments the crashed instance fetched.
    /// </summary>
    public string? StagingRoot { get; set; }

    /// <summary>Pick the best variant no taller than this; empty = the highest bandwidth.</summary>
    public int? MaxHeight { get; set; }

    /// <summary>Minimum seconds between two progress events (a phase change and 100 % always go out).</summary>
    public double ProgressIntervalSeconds { get; set; } = 1;

    /// <summary>Seconds between heartbeats of a running download.</summary>
    public double HeartbeatIntervalSeconds { get; set; } = 5;

    /// <summary>A heartbeat older than this is dead (its writer stopped without ending the task).</summary>
    public double HeartbeatTtlSeconds { get; set; } = 20;

    /// <summary>How long a cancelled task id is remembered, so a queued copy that arrives later is skipped.</summary>
    public double CancelledTaskTtlMinutes { get; set; } = 360;

    /// <summary>How many times a download whose lease was lost waits for the lease again before giving up.</summary>
    public int MaxLeaseLosses { get; set; } = 3;

    public MonitoringOptions Monitoring { get; set; } = new();

    public string ResolveInstanceName() =>
        string.IsNullOrWhiteSpace(InstanceName) ? $"{Environment.MachineName}-{Environment.ProcessId}" : InstanceName.Trim();

    public string ResolveStagingRoot(DataOptions data) =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(StagingRoot) ? Path.Combine(data.ResolvedMediaRoot, ".staging") : StagingRoot);

    internal static IEnumerable<string?> Validate(DownloaderOptions o)
    {
        if (o.InstanceName is { } name && (name.Contains(':') || name.Length > 100))
            yield return $"InstanceName '{name}' must not contain ':' and be at most 100 characters";
        if (o.StagingRoot is { } root && root.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
            yield return $"StagingRoot '{root}' is not a valid path";
        if (o.MaxHeight is < 1 or > 10000) yield return $"MaxHeight {o.MaxHeight} must be between 1 and 10000";
        if (o.ProgressIntervalSeconds is < 0.05 or > 60) yield return $"ProgressIntervalSeconds {o.ProgressIntervalSeconds} must be between 0.05 and 60";
        if (o.HeartbeatIntervalSeconds is < 0.1 or > 300) yield return $"HeartbeatIntervalSeconds {o.HeartbeatIntervalSeconds} must be between 0.1 and 300";
        if (o.HeartbeatTtlSeconds < o.HeartbeatIntervalSeconds * 2)
            yield return $"HeartbeatTtlSeconds {o.HeartbeatTtlSeconds} must be at least twice HeartbeatIntervalSeconds ({o.HeartbeatIntervalSeconds})";
        if (o.CancelledTaskTtlMinutes is < 1 or > 10080) yield return $"CancelledTaskTtlMinutes {o.CancelledTaskTtlMinutes} must be between 1 and 10080";
        if (o.MaxLeaseLosses is < 0 or > 100) yield return $"MaxLeaseLosses {o.MaxLeaseLosses} must be between 0 and 100";
        foreach (var error in MonitoringOptions.Validate(o.Monitoring)) yield return $"Monitoring:{error}";
    }
}

/// <summary>The lock monitor: tiered timeouts on how long the download lease has been held, and the API's own keys.</summary>
public sealed class MonitoringOptions
{
    /// <summary>Log a warning when one holder has held the lease this long.</summary>
    public double WarnAfterMinutes { get; set; } = 180;

    /// <summary>Ask the holder to stop (its task fails as timed out).</summary>
    public double CancelAfterMinutes { get; set; } = 300;

    /// <summary>Take the lease away whoever holds it (fences the holder off): for a holder that did not stop.</summary>
    public double ForceReleaseAfterMinutes { get; set; } = 330;

    /// <summary>Seconds between two checks of the monitor.</summary>
    public double CheckIntervalSeconds { get; set; } = 15;

    /// <summary>Set false to run no monitor in this instance (the API still answers).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Keys accepted by POST /monitoring/lock/release when the downloader is called directly (X-Api-Key or Bearer).
    /// None = no check of its own (the gateway's API-key auth in front of it still applies).
    /// </summary>
    public List<string> ApiKeys { get; set; } = [];

    internal static IEnumerable<string?> Validate(MonitoringOptions o)
    {
        if (o.WarnAfterMinutes <= 0) yield return $"WarnAfterMinutes {o.WarnAfterMinutes} must be positive";
        if (o.CancelAfterMinutes < o.WarnAfterMinutes)
            yield return $"CancelAfterMinutes {o.CancelAfterMinutes} must not be less than WarnAfterMinutes {o.WarnAfterMinutes}";
        if (o.ForceReleaseAfterMinutes < o.CancelAfterMinutes)
            yield return $"ForceReleaseAfterMinutes {o.ForceReleaseAfterMinutes} must not be less than CancelAfterMinutes {o.CancelAfterMinutes}";
        if (o.CheckIntervalSeconds is < 0.1 or > 3600) yield return $"CheckIntervalSeconds {o.CheckIntervalSeconds} must be between 0.1 and 3600";
        for (var i = 0; i < o.ApiKeys.Count; i++)
            if (string.IsNullOrWhiteSpace(o.ApiKeys[i]) || o.ApiKeys[i].Trim().Length < 16)
                yield return $"ApiKeys:{i}: a key must be at least 16 characters";
    }
}
