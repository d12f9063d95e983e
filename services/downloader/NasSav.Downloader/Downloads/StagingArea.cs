using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NasSav.Media.Avids;
using NasSav.ServiceDefaults.Configuration;
using NasSav.Media.Storage;

namespace NasSav.Downloader.Downloads;

/// <summary>
/// Staging layout: <c>{root}/{AVID}/{epoch}/</c>, one folder per attempt (per lease acquisition), so a fenced-off
/// holder that keeps writing never touches the current attempt's files. A later attempt of the same AVID resumes from
/// the segments in the earlier folders; all of them go once the file is in the media store.
/// </summary>
public sealed class StagingArea(IOptions<DownloaderOptions> options, IOptions<DataOptions> data, ILogger<StagingArea> log)
{
    public string Root { get; } = options.Value.ResolveStagingRoot(data.Value);

    public string AttemptFolder(Avid avid, long epoch) => Path.Combine(Root, avid.Value, epoch.ToString(CultureInfo.InvariantCulture));

    /// <summary>The other attempts' folders of this AVID, newest first.</summary>
    public IReadOnlyList<string> EarlierAttempts(Avid avid, long epoch)
    {
        var folder = Path.Combine(Root, avid.Value);
        if (!Directory.Exists(folder)) return [];
        return Directory.EnumerateDirectories(folder)
            .Select(d => (Path: d, Epoch: long.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var e) ? e : -1))
            .Where(d => d.Epoch >= 0 && d.Epoch != epoch)
            .OrderByDescending(d => d.Epoch)
            .Select(d => d.Path)
            .ToList();
    }

    /// <summary>Removes every attempt of the AVID (after success or a cancel); a failure to delete is only logged.</summary>
    public void DeleteAll(Avid avid)
    {
        var folder = Path.Combine(Root, avid.Value);
        try
        {
            FolderRemoval.DeleteTree(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.LogWarning(e, "Could not delete the staging folder {Folder}", folder);
        }
    }
}
