namespace NasSav.Catalog.Downloads;

public sealed class DownloadOptions
{
    public const string Section = "Downloads";
    /// <summary>Allows POST /downloads/mock/{avid} (the peer allowed it only with DEBUG). Off by default.</summary>
    public bool EnableMock { get; set; }
    /// <summary>Sent as User-Agent with every playlist, key and segment request of a download; none when empty.</summary>
    public string UserAgent { get; set; } = "";
}
