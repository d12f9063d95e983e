using Microsoft.Extensions.Options;
using NasSav.Media.Storage;

namespace NasSav.Maintenance.Consistency;

/// <summary>
/// Media files no library row refers to: covers (and saved source pages), thumbnails, videos, avatars. Reported
/// always; deleted in apply mode only with Maintenance:Checks:DeleteOrphans (media is never deleted by default).
/// Unlike NASSAV, a resource's own cover/{AVID}.html (the saved source page) is not an orphan.
/// </summary>
public sealed class OrphanFilesCheck(IOptions<MaintenanceOptions> options) : IConsistencyCheck
{
    public string Name => "orphans";

    public async Task RunAsync(CheckContext context)
    {
        var avids = context.Resources.Select(r => r.Avid.ToUpperInvariant()).ToHashSet(StringComparer.Ordinal);
        var avatars = context.Actors.Where(a => !string.IsNullOrEmpty(a.AvatarFilename)).Select(a => a.AvatarFilename!).ToHashSet(StringComparer.Ordinal);
        await ScanAsync(context, "cover", "cover_orphaned", f => avids.Contains(Stem(f)));
        await ScanAsync(context, "thumbnails", "thumbnail_orphaned", f => avids.Contains(Stem(f)));
        await ScanAsync(context, "video", "video_orphaned", f => !f.EndsWith(".mp4", StringComparison.OrdinalIgnoreCase) || avids.Contains(Stem(f)));
        await ScanAsync(context, "avatar", "avatar_orphaned", avatars.Contains);
    }

    private static string Stem(string fileName) => Path.GetFileNameWithoutExtension(fileName).ToUpperInvariant();

    private async Task ScanAsync(CheckContext context, string prefix, string kind, Func<string, bool> owned)
    {
        var found = new List<MediaInfo>();
        await foreach (var info in context.Store.ListAsync(prefix, context.Cancellation))
            if (!owned(info.Key.FileName)) found.Add(info);
        foreach (var info in found)
        {
            var issue = context.Report(new CheckIssue { Check = Name, Kind = kind, Key = info.Key.Value, Mp4Size = kind == "video_orphaned" ? info.Size : null });
            if (!context.Apply) continue;
            if (!options.Value.Checks.DeleteOrphans)
            {
                issue.Action = "skipped";
                continue;
            }
            await context.FixAsync(issue, () => context.Store.DeleteAsync(info.Key, context.Cancellation));
        }
    }
}
