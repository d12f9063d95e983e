using Microsoft.Extensions.Options;
using NasSav.Maintenance.Library;
using NasSav.Maintenance.Scheduling;

namespace NasSav.Maintenance.Export;

/// <summary>
/// export-library: brings the whole export in line with the library: every title that should be there is written or
/// updated, folders of titles no longer there (or no longer downloaded, with Include=Downloaded) are removed; folders
/// without NasSav's marker are left alone. A dry run reports what it would change. The events keep the export current
/// between runs; this catches what they could not (the export was off, a failure, a changed template or setting).
/// </summary>
public sealed class ExportJob(LibraryExport export, LibraryClient library, IOptions<MaintenanceOptions> options) : IMaintenanceJob
{
    private const int DetailChunk = 100;

    public string Name => "export-library";
    public string Description => "媒体服务器导出 (Jellyfin/Emby/Kodi/Plex): 重建并检查整个导出目录";
    public string? DefaultCron => options.Value.Export.Cron;

    public async Task RunAsync(JobContext job)
    {
        var ct = job.Cancellation;
        job.Progress(0, message: "reading the export folder and the library");
        var folders = await export.ScanAsync(ct);
        var inventory = await library.AllResourcesAsync(ct);
        var candidates = inventory.Where(r => options.Value.Export.Include == ExportInclude.All || r.FileExists).Select(r => r.Avid).ToList();
        var changes = new List<ExportChange>();
        var done = 0;
        var total = candidates.Count + folders.Keys.Count(a => !candidates.Contains(a));
        foreach (var chunk in candidates.Chunk(DetailChunk))
        {
            var details = await library.DetailsAsync(chunk, ct);
            foreach (var avid in chunk)
            {
                var detail = details.Resources.FirstOrDefault(d => d.Avid == avid);
                changes.Add(await export.SyncAsync(avid, detail, details.DisplayTitle, job.Apply, ct));
                job.Progress(++done, total, message: avid);
            }
        }
        // Folders of titles that are gone from the library (or not exported any more).
        foreach (var avid in folders.Keys.Where(a => !candidates.Contains(a)).Order(StringComparer.Ordinal))
        {
            var details = await library.DetailsAsync([avid], ct);
            changes.Add(await export.SyncAsync(avid, details.Resources.FirstOrDefault(), details.DisplayTitle, job.Apply, ct));
            job.Progress(++done, total, message: avid);
        }

        foreach (var c in changes.Where(c => c.Changed || c.Error is not null)) job.Log((job.Apply ? "" : "dry run: ") + LibraryExport.Describe(c));
        foreach (var group in changes.GroupBy(c => c.Action)) job.Count(group.Key, group.Count());
        var foreign = export.ForeignFolders();
        job.Report = new
        {
            folder = export.Root,
            apply_changes = job.Apply,
            include = options.Value.Export.Include.ToString(),
            link = options.Value.Export.Link.ToString(),
            total = changes.Count,
            created = changes.Count(c => c.Action == "created"),
            updated = changes.Count(c => c.Action == "updated"),
            removed = changes.Count(c => c.Action == "removed"),
            unchanged = changes.Count(c => c.Action == "unchanged"),
            failed = changes.Count(c => c.Action == "failed"),
            foreign_folders = foreign,
            details = changes.Where(c => c.Changed || c.Error is not null)
                .Select(c => new { avid = c.Avid, action = c.Action, folder = c.Folder, steps = c.Steps, error = c.Error }).ToList(),
        };
        var failed = changes.Count(c => c.Action == "failed");
        job.Summary = $"{changes.Count} titles: {changes.Count(c => c.Action == "created")} created, {changes.Count(c => c.Action == "updated")} updated, " +
                      $"{changes.Count(c => c.Action == "removed")} removed, {changes.Count(c => c.Action == "unchanged")} unchanged, {failed} failed" +
                      (job.Apply ? "" : " (dry run)");
        if (failed > 0) throw new InvalidOperationException(job.Summary);
    }
}
