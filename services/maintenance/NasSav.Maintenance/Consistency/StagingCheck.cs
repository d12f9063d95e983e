using Microsoft.Extensions.Options;
using NasSav.ServiceDefaults.Configuration;

namespace NasSav.Maintenance.Consistency;

/// <summary>
/// Staging folders of old download attempts ({staging}/{AVID}/{epoch}/): one untouched for StagingMaxAgeHours is an
/// orphan (a live attempt writes to its folder all the time). Partial downloads are not media: apply deletes them
/// unless Maintenance:Checks:DeleteStaleStaging is false.
/// </summary>
public sealed class StagingCheck(IOptions<MaintenanceOptions> options, IOptions<DataOptions> data, TimeProvider clock) : IConsistencyCheck
{
    public string Name => "staging";

    public string Root => Path.GetFullPath(options.Value.Checks.StagingFolder ?? Path.Combine(data.Value.ResolvedMediaRoot, ".staging"));

    public async Task RunAsync(CheckContext context)
    {
        var root = Root;
        if (!Directory.Exists(root)) return;
        var cutoff = clock.GetUtcNow().UtcDateTime - TimeSpan.FromHours(options.Value.Checks.StagingMaxAgeHours);
        foreach (var avidFolder in Directory.EnumerateDirectories(root))
        {
            foreach (var attempt in Directory.EnumerateDirectories(avidFolder))
            {
                context.Cancellation.ThrowIfCancellationRequested();
                if (LastWrite(attempt) >= cutoff) continue;
                var issue = context.Report(new CheckIssue
                {
                    Check = Name, Kind = "staging_orphaned", Avid = Path.GetFileName(avidFolder), Key = Path.GetRelativePath(root, attempt),
                });
                if (!context.Apply) continue;
                if (!options.Value.Checks.DeleteStaleStaging) { issue.Action = "skipped"; continue; }
                await context.FixAsync(issue, () => { Directory.Delete(attempt, recursive: true); return Task.CompletedTask; });
            }
            if (context.Apply && options.Value.Checks.DeleteStaleStaging && !Directory.EnumerateFileSystemEntries(avidFolder).Any())
                Directory.Delete(avidFolder);
        }
    }

    private static DateTime LastWrite(string folder)
    {
        var latest = Directory.GetLastWriteTimeUtc(folder);
        foreach (var entry in Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories))
        {
            var t = File.GetLastWriteTimeUtc(entry);
            if (t > latest) latest = t;
        }
        return latest;
    }
}
