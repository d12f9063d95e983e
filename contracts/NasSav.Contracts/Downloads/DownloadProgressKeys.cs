namespace NasSav.Contracts.Downloads;

/// <summary>
/// The progress snapshot the downloader keeps per AVID in the shared expiring store (Redis), read by catalog
/// for /tasks/queue/status. Value: JSON <c>{percent, speed, eta, downloaded, updated_at, epoch, phase}</c>.
/// </summary>
public static class DownloadProgressKeys
{
    public static readonly TimeSpan Ttl = TimeSpan.FromHours(1);
    public static string For(string avid) => $"nassav:task_progress:{avid}";
}
