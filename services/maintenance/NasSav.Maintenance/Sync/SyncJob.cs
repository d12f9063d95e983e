using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using NasSav.Maintenance.Scheduling;
using NasSav.ServiceDefaults.Configuration;

namespace NasSav.Maintenance.Sync;

/// <summary>One file a sync looked at, and what became of it.</summary>
public sealed record SyncedFile(string Path, long Size, string Action, string? Reason = null, string? Error = null, int Attempts = 0);

/// <summary>
/// sync-{task}: copies the backup and report folders (or the task's Sources) to a folder or an S3 bucket. The
/// copy rule selects what goes (missing, size differs, source newer); include/exclude patterns and an age limit
/// filter; a thread limit, retries with exponential backoff, a per-file timeout and a shared bandwidth cap bound
/// it ("slow storage" lowers concurrency, lengthens timeouts, adds retries). Nothing at the target is deleted.
/// </summary>
public sealed class SyncJob(string task, IOptions<MaintenanceOptions> options, IOptions<DataOptions> data, TimeProvider clock) : IMaintenanceJob
{
    public const int MaxListedFiles = 2000;

    public string Name => $"sync-{task}";
    public string Description => $"备份同步 ({task})";
    public string? DefaultCron => options.Value.Sync.GetValueOrDefault(task)?.Cron ?? "0 4 * * *";

    public SyncTaskOptions Options => options.Value.Sync[task];

    public async Task RunAsync(JobContext job)
    {
        var o = Options;
        var ct = job.Cancellation;
        var include = o.Include.Select(p => new GlobPattern(p)).ToList();
        var exclude = o.Exclude.Select(p => new GlobPattern(p)).ToList();
        var sources = o.Sources.Count > 0
            ? o.Sources.Select(Path.GetFullPath).ToList()
            : [options.Value.Backups.ResolvedFolder(data.Value), options.Value.ResolvedReportFolder(data.Value)];
        var cutoff = o.Days > 0 ? clock.GetUtcNow().UtcDateTime - TimeSpan.FromDays(o.Days) : DateTime.MinValue;

        // Candidates: target path = {source folder name}/{path inside it}.
        var candidates = new List<(string Local, string Relative, long Size, DateTime Modified)>();
        foreach (var source in sources.Where(Directory.Exists))
        {
            var top = Path.GetFileName(source.TrimEnd(Path.DirectorySeparatorChar));
            foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            {
                var inner = Path.GetRelativePath(source, file).Replace(Path.DirectorySeparatorChar, '/');
                // Our own temporary names (backups being written) are never copied.
                if (inner.EndsWith(".partial", StringComparison.Ordinal) || inner.Split('/').Any(s => s.StartsWith('.'))) continue;
                if (!GlobPattern.Selected(inner, include, exclude)) continue;
                var info = new FileInfo(file);
                if (info.LastWriteTimeUtc < cutoff) continue;
                candidates.Add((file, $"{top}/{inner}", info.Length, info.LastWriteTimeUtc));
            }
        }

        await using ISyncTarget target = o.Target == SyncTargetKind.S3
            ? new S3Target(o.S3, o.EffectiveTimeout)
            : new FolderTarget(o.Path!);
        job.Log($"sync {Name}: {candidates.Count} candidate file(s) from {string.Join(", ", sources)} to {target.Describe()} (rule {o.Rule}, {o.EffectiveThreads} thread(s){(o.SlowStorage ? ", slow storage" : "")}{(o.BandwidthBytesPerSecond > 0 ? $", {o.BandwidthBytesPerSecond} B/s" : "")})");
        await WithRetriesAsync(o, job, "prepare the target", () => target.PrepareAsync(ct), ct);
        Dictionary<string, TargetEntry> existing = [];
        await WithRetriesAsync(o, job, "list the target", async () => existing = await target.ListAsync(ct), ct);

        var results = new ConcurrentBag<SyncedFile>();
        var selected = new List<(string Local, string Relative, long Size, DateTime Modified, string Reason)>();
        foreach (var c in candidates)
        {
            var reason = Reason(o.Rule, c.Size, c.Modified, existing.GetValueOrDefault(c.Relative));
            if (reason is null) results.Add(new SyncedFile(c.Relative, c.Size, "skipped", "up to date"));
            else selected.Add((c.Local, c.Relative, c.Size, c.Modified, reason));
        }
        var totalBytes = selected.Sum(s => s.Size);
        long bytes = 0, done = 0;
        job.Progress(0, selected.Count, 0, totalBytes, $"{selected.Count} file(s) to copy");
        var limiter = new BandwidthLimiter(o.BandwidthBytesPerSecond, clock);

        await Parallel.ForEachAsync(selected, new ParallelOptions { MaxDegreeOfParallelism = o.EffectiveThreads, CancellationToken = ct }, async (s, token) =>
        {
            var attempts = 0;
            string? error = null;
            long counted = 0;
            for (; attempts <= o.EffectiveRetries; attempts++)
            {
                if (attempts > 0) await Task.Delay(Backoff(o, attempts), clock, token);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
                timeout.CancelAfter(o.EffectiveTimeout);
                try
                {
                    Interlocked.Add(ref bytes, -counted);
                    counted = 0;
                    await using var file = new FileStream(s.Local, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 81920, useAsync: true);
                    await using var stream = new ThrottledStream(file, limiter, n =>
                    {
                        counted += n;
                        job.Progress(Interlocked.Read(ref done), selected.Count, Interlocked.Add(ref bytes, n), totalBytes);
                    });
                    await target.CopyAsync(s.Relative, stream, s.Size, s.Modified, timeout.Token);
                    error = null;
                    break;
                }
                catch (Exception ex) when (!token.IsCancellationRequested && ex is not OutOfMemoryException)
                {
                    error = ex is OperationCanceledException ? $"timed out after {o.EffectiveTimeout.TotalSeconds:0} s" : ex.Message;
                    job.Log($"{s.Relative}: attempt {attempts + 1} failed: {error}");
                }
            }
            Interlocked.Increment(ref done);
            results.Add(error is null
                ? new SyncedFile(s.Relative, s.Size, "copied", s.Reason, Attempts: attempts + 1)
                : new SyncedFile(s.Relative, s.Size, "failed", s.Reason, error, attempts));
            job.Log(error is null ? $"copied {s.Relative} ({s.Size} bytes, {s.Reason})" : $"FAILED {s.Relative}: {error}");
            job.Progress(Interlocked.Read(ref done), selected.Count, Interlocked.Read(ref bytes), totalBytes);
        });

        var all = results.OrderBy(r => r.Path, StringComparer.Ordinal).ToList();
        var copied = all.Count(r => r.Action == "copied");
        var failed = all.Count(r => r.Action == "failed");
        var skipped = all.Count(r => r.Action == "skipped");
        job.Count("files", all.Count);
        job.Count("copied", copied);
        job.Count("skipped", skipped);
        job.Count("failed", failed);
        job.Count("bytes_copied", all.Where(r => r.Action == "copied").Sum(r => r.Size));
        job.Report = new
        {
            task,
            target = target.Describe(),
            rule = o.Rule.ToString(),
            sources,
            files_total = all.Count,
            selected = selected.Count,
            copied,
            skipped,
            failed,
            bytes_copied = all.Where(r => r.Action == "copied").Sum(r => r.Size),
            files = all.Where(r => r.Action != "skipped").Take(MaxListedFiles).ToList(),
        };
        job.Summary = $"{copied} copied, {skipped} up to date, {failed} failed";
        if (failed > 0) throw new IOException($"{failed} of {selected.Count} file(s) could not be copied to {target.Describe()}: {all.First(r => r.Action == "failed").Error}");
    }

    /// <summary>Why the rule copies a file, or null to leave it.</summary>
    internal static string? Reason(CopyRule rule, long size, DateTime modifiedUtc, TargetEntry? existing)
    {
        if (existing is null) return "missing";
        return rule switch
        {
            CopyRule.SizeDiffers when existing.Size != size => "size differs",
            // Whole seconds: some targets keep no sub-second times.
            CopyRule.SourceNewer when modifiedUtc > existing.LastModifiedUtc.AddSeconds(1) => "source newer",
            _ => null,
        };
    }

    private static TimeSpan Backoff(SyncTaskOptions o, int attempt) =>
        TimeSpan.FromMilliseconds(Math.Min(o.BackoffBase.TotalMilliseconds * Math.Pow(2, attempt - 1), 120_000));

    private async Task WithRetriesAsync(SyncTaskOptions o, JobContext job, string what, Func<Task> action, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await action();
                return;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested && attempt < o.EffectiveRetries && ex is not OperationCanceledException)
            {
                job.Log($"could not {what} (attempt {attempt + 1}): {ex.Message}");
                await Task.Delay(Backoff(o, attempt + 1), clock, ct);
            }
        }
    }
}
