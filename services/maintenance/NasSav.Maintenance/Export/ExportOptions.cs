namespace NasSav.Maintenance.Export;

/// <summary>How the video gets into a title's folder. Never a move: the library keeps its file.</summary>
public enum ExportLinkMode
{
    /// <summary>A hard link when the export is on the media root's file system (no extra space), else a copy.</summary>
    Auto,
    /// <summary>A hard link or an error (e.g. another file system).</summary>
    HardLink,
    Copy,
    /// <summary>A symbolic link to the library's file (the media server must see the same path).</summary>
    Symlink,
}

public enum ExportInclude
{
    /// <summary>Only titles whose video is in the library.</summary>
    Downloaded,
    /// <summary>Every title; those without a video get their folder, NFO and images only.</summary>
    All,
}

/// <summary>Which title goes into the folder name and &lt;title&gt;.</summary>
public enum ExportTitle
{
    /// <summary>The user's display_title setting (as the web UI shows it).</summary>
    Display,
    Translated,
    Original,
    Source,
}

public enum PosterCrop { Right, Center, Left }

/// <summary>
/// <c>Maintenance:Export</c>: the library exported as Jellyfin, Emby, Kodi and Plex read it (one folder per title with
/// movie.nfo, poster.jpg, fanart.jpg and the video). docs/maintenance.md, "Media-server export".
/// </summary>
public sealed class ExportOptions
{
    public bool Enabled { get; set; }
    /// <summary>The export's root; every title folder is created directly inside it.</summary>
    public string? Folder { get; set; }
    /// <summary>Folder (and video file) name; tokens in ExportNaming.Tokens. Must contain {avid} so names never collide.</summary>
    public string NameTemplate { get; set; } = "{avid} {title}";
    public ExportLinkMode Link { get; set; } = ExportLinkMode.Auto;
    public ExportInclude Include { get; set; } = ExportInclude.Downloaded;
    public ExportTitle Title { get; set; } = ExportTitle.Display;
    /// <summary>Which part of the (landscape) cover becomes the portrait poster: JAV covers have the front on the right.</summary>
    public PosterCrop PosterCrop { get; set; } = PosterCrop.Right;
    /// <summary>
    /// The URL the media server reaches NasSav at (e.g. http://nas:9790): actors with a stored avatar get
    /// {PublicUrl}/nassav/api/actors/{id}/avatar as their thumb; otherwise the metadata site's picture URL.
    /// </summary>
    public string? PublicUrl { get; set; }
    /// <summary>&lt;mpaa&gt; of every title (e.g. "XXX", for the media server's parental controls); none when empty.</summary>
    public string? Rating { get; set; }
    /// <summary>Cron of the export-library job that rebuilds and checks the whole export (the events keep it current between runs).</summary>
    public string Cron { get; set; } = "30 5 * * *";

    public IEnumerable<string> Validate()
    {
        if (!Enabled) yield break;
        if (string.IsNullOrWhiteSpace(Folder)) yield return "Folder is required when Enabled is true";
        foreach (var error in ExportNaming.ValidateTemplate(NameTemplate)) yield return $"NameTemplate: {error}";
        if (!Enum.IsDefined(Link)) yield return $"Link {Link} must be Auto, HardLink, Copy or Symlink";
        if (!Enum.IsDefined(Include)) yield return $"Include {Include} must be Downloaded or All";
        if (!Enum.IsDefined(Title)) yield return $"Title {Title} must be Display, Translated, Original or Source";
        if (PublicUrl is { Length: > 0 } url && (!Uri.TryCreate(url, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https")))
            yield return $"PublicUrl '{url}' is not an absolute http(s) URL";
    }
}
