namespace NasSav.Maintenance.Import;

/// <summary>The drop-folder importer (<c>Maintenance:Import</c>).</summary>
public sealed class ImportOptions
{
    public bool Enabled { get; set; }
    /// <summary>Inbox folders to watch.</summary>
    public List<string> Folders { get; set; } = [];
    /// <summary>An item is complete when its fingerprint (paths, sizes, mtimes) has not changed for this long.</summary>
    public double StableSeconds { get; set; } = 60;
    /// <summary>How often the inbox is scanned.</summary>
    public double ScanSeconds { get; set; } = 5;
    /// <summary>Items with at most this many files and bytes are "small" and go first.</summary>
    public int SmallFileCount { get; set; } = 1;
    public long SmallBytes { get; set; } = 2L * 1024 * 1024 * 1024;
    public List<string> VideoExtensions { get; set; } = [".mp4"];
    /// <summary>Seconds between tries when catalog says the add is still running, and how many tries.</summary>
    public double RetrySeconds { get; set; } = 30;
    public int MaxAttempts { get; set; } = 10;

    public IEnumerable<string> Validate()
    {
        if (Enabled && Folders.Count == 0) yield return "Folders must list at least one folder when Enabled";
        if (StableSeconds is < 0.1 or > 86400) yield return $"StableSeconds {StableSeconds} must be between 0.1 and 86400";
        if (ScanSeconds is < 0.05 or > 3600) yield return $"ScanSeconds {ScanSeconds} must be between 0.05 and 3600";
        if (SmallFileCount < 0 || SmallBytes < 0) yield return "SmallFileCount and SmallBytes must not be negative";
        if (MaxAttempts < 1) yield return "MaxAttempts must be at least 1";
    }
}
