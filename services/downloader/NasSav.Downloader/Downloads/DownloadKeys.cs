namespace NasSav.Downloader.Downloads;

/// <summary>The downloader's keys in the shared expiring store (Redis in the distributed set), besides the progress snapshot.</summary>
public static class DownloadKeys
{
    /// <summary>The cluster-wide download lease (one download at a time).</summary>
    public const string Lease = "download";
    /// <summary>The lease the lock monitors of all instances compete for: only its holder acts.</summary>
    public const string MonitorLease = "download-monitor";

    public static string Cancelled(string taskId) => $"nassav:download:cancelled:{taskId}";
    /// <summary>Written when a task's file is in the store: a redelivered copy re-announces it instead of downloading again.</summary>
    public static string Done(string taskId) => $"nassav:download:done:{taskId}";
    public static string Heartbeat(string taskId) => $"nassav:download:heartbeat:{taskId}";
    /// <summary>The recent tasks (JSON list) whose heartbeats the monitoring API lists.</summary>
    public const string HeartbeatIndex = "nassav:download:heartbeats";
    /// <summary>The running download (JSON), refreshed with its heartbeat; the monitor reads it to cancel a holder.</summary>
    public const string Current = "nassav:download:current";
    public static string Stat(string name) => $"nassav:download:stats:{name}";
}
