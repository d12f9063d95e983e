namespace NasSav.Maintenance.Import;

public enum ItemState { Pending, Queued, Importing, Done, Failed }

/// <summary>One top-level entry of an inbox (a file or a folder) and where it is in the import.</summary>
public sealed class InboxItem
{
    public required string Path { get; init; }
    public required string Folder { get; init; }
    public ItemState State { get; set; } = ItemState.Pending;
    /// <summary>Relative paths, sizes and modification times of every file in it.</summary>
    public string Fingerprint { get; set; } = "";
    public int Files { get; set; }
    public long Bytes { get; set; }
    /// <summary>When the fingerprint last changed.</summary>
    public DateTimeOffset ChangedAt { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset? NotBefore { get; set; }
    public List<string> Avids { get; } = [];
    public string? Error { get; set; }
    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>Small items first (by the configured thresholds), then fewer files, then fewer bytes.</summary>
    public (int, int, long) Priority(ImportOptions o) => (Files <= o.SmallFileCount && Bytes <= o.SmallBytes ? 0 : 1, Files, Bytes);
}

/// <summary>A file the importer will not touch, and why.</summary>
public sealed record UnmatchedFile(string Path, string Reason, DateTimeOffset At);
