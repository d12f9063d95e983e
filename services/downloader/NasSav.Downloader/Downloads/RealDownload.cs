using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NasSav.Contracts.Downloads;
using NasSav.Downloader.Engine;
using NasSav.Downloader.Monitoring;
using NasSav.Media.Avids;
using NasSav.Coordination.Locking;

namespace NasSav.Downloader.Downloads;

/// <summary>
/// One real download while its DownloadVideo delivery is held: lease, start, engine into this attempt's staging
/// folder, fenced move, completion. A lost lease or a refused (stale) finish means someone else was given the lease:
/// this attempt stops without reporting anything and waits for the lease again (bounded by
/// <see cref="DownloaderOptions.MaxLeaseLosses"/>), resuming from the segments already fetched.
/// </summary>
public sealed class RealDownload(
    IHlsDownloader engine,
    ILeaseLock leases,
    FencedMove finish,
    IBus bus,
    ProgressPublisher progress,
    TaskMarks marks,
    Heartbeats heartbeats,
    LockStats stats,
    StagingArea staging,
    IOptions<DownloaderOptions> options,
    TimeProvider clock,
    DownloaderMetrics metrics,
    ILogger<RealDownload> log)
{
    private enum Outcome { Finished, Superseded }

    public async Task RunAsync(ConsumeContext<DownloadVideo> context, Avid avid, RunningDownloads.Running run)
    {
        var o = options.Value;
        for (var losses = 0; ; losses++)
        {
            if (await AttemptAsync(context, avid, run) == Outcome.Finished) return;
            if (losses >= o.MaxLeaseLosses)
            {
                log.LogError("Download {TaskId} of {Avid} lost the lease {Count} times; giving up", context.Message.TaskId, avid, losses + 1);
                await stats.AddAsync(LockStats.Names.Failed);
                await context.Publish(DownloadMessages.Failed(context.Message, 0,
                    "下载失败: 下载锁多次被收回", $"the download lease was lost {losses + 1} times (Downloader:MaxLeaseLosses {o.MaxLeaseLosses})"));
                await progress.ClearAsync(avid.Value);
                return;
            }
            log.LogWarning("Download {TaskId} of {Avid} waits for the lease again to resume", context.Message.TaskId, avid);
        }
    }

    private async Task<Outcome> AttemptAsync(ConsumeContext<DownloadVideo> context, Avid avid, RunningDownloads.Running run)
    {
        var task = context.Message;
        var o = options.Value;
        var instance = o.ResolveInstanceName();
        var holder = $"{instance}:{Guid.NewGuid():N}";

        await stats.AddAsync(LockStats.Names.Attempts);
        var waitStarted = clock.GetTimestamp();
        ILease lease;
        using (var wait = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, run.Token))
        {
            try
            {
                lease = await leases.AcquireAsync(DownloadKeys.Lease, holder, wait.Token);
            }
            catch (OperationCanceledException) when (run.Token.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
            {
                await StoppedAsync(context, avid, run, 0);
                return Outcome.Finished;
            }
        }

        await using (lease)
        {
            var acquiredAt = clock.GetUtcNow();
            await stats.AddAsync(LockStats.Names.Acquired);
            await stats.AddAsync(LockStats.Names.WaitMsTotal, (long)clock.GetElapsedTime(waitStarted).TotalMilliseconds);
            try
            {
                return await HoldingAsync(context, avid, run, lease, instance);
            }
            finally
            {
                await stats.AddAsync(LockStats.Names.Holds);
                await stats.AddAsync(LockStats.Names.HoldMsTotal, (long)(clock.GetUtcNow() - acquiredAt).TotalMilliseconds);
            }
        }
    }

    private async Task<Outcome> HoldingAsync(ConsumeContext<DownloadVideo> context, Avid avid, RunningDownloads.Running run, ILease lease, string instance)
    {
        var task = context.Message;
        var o = options.Value;
        var epoch = lease.Epoch;

        // Things may have changed while this copy waited for the lease: an earlier holder finished the same task
        // (a redelivered copy), or the task was cancelled.
        if (await marks.DoneAsync(task.TaskId, context.CancellationToken) is { } done)
        {
            log.LogInformation("Task {TaskId} of {Avid} was completed by epoch {Epoch}; announcing it again", task.TaskId, avid, done.Epoch);
            await context.Publish(done);
            return Outcome.Finished;
        }
        if (run.Token.IsCancellationRequested || await marks.CancelledAsync(task.TaskId, context.CancellationToken) is not null)
        {
            await StoppedAsync(context, avid, run, epoch);
            return Outcome.Finished;
        }

        var startedAt = clock.GetUtcNow();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        log.LogInformation("Download {TaskId} of {Avid} starts with epoch {Epoch} as {Holder}", task.TaskId, avid, epoch, lease.Holder);
        await bus.Publish(DownloadMessages.Started(task, epoch, instance, startedAt), context.CancellationToken);
        var beat = new Heartbeat(task.TaskId, task.CorrelationId, avid.Value, instance, lease.Holder, epoch, startedAt, startedAt, "download", 0);
        await heartbeats.StartedAsync(beat, context.CancellationToken);

        var folder = staging.AttemptFolder(avid, epoch);
        Directory.CreateDirectory(folder);
        var resume = staging.EarlierAttempts(avid, epoch);
        using var work = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, run.Token, lease.Lost);
        var reporter = new ProgressReporter(task, epoch, progress, TimeSpan.FromSeconds(o.ProgressIntervalSeconds), clock);
        using var beating = new CancellationTokenSource();
        var beats = BeatAsync(beat, reporter, beating.Token);
        var outcome = "failed";
        try
        {
            var request = new HlsDownloadRequest(new Uri(task.M3u8Url), folder, task.Headers, o.MaxHeight, resume);
            var result = await engine.DownloadAsync(request, reporter, work.Token);
            await reporter.DisposeAsync(); // the last progress (100 %) leaves before the completion

            var stored = await finish.TryMoveAsync(avid, epoch, result, context.CancellationToken);
            if (stored is null)
            {
                outcome = "stale";
                await stats.AddAsync(LockStats.Names.StaleRefused);
                log.LogWarning("Download {TaskId} of {Avid}: epoch {Epoch} is no longer current; the finished file was not moved and nothing is reported",
                    task.TaskId, avid, epoch);
                return Outcome.Superseded;
            }

            var completed = new DownloadCompleted
            {
                CorrelationId = task.CorrelationId,
                Avid = task.Avid,
                TaskId = task.TaskId,
                Epoch = epoch,
                FileSize = stored.Size,
                DurationSeconds = result.Duration.TotalSeconds,
                CompletedAt = clock.GetUtcNow(),
            };
            await marks.MarkDoneAsync(completed, CancellationToken.None);
            // Through the consume context's outbox: it leaves when this consumer returns, just before the ack.
            await context.Publish(completed);
            outcome = "completed";
            await stats.AddAsync(LockStats.Names.Completed);
            staging.DeleteAll(avid);
            await progress.ClearAsync(avid.Value);
            log.LogInformation("Download {TaskId} of {Avid} completed: {Size} bytes, {Duration:0.0} s, epoch {Epoch}",
                task.TaskId, avid, stored.Size, result.Duration.TotalSeconds, epoch);
            return Outcome.Finished;
        }
        catch (Exception e) when (work.IsCancellationRequested)
        {
            // Shutdown: not acknowledged, so the broker redelivers the message and the next holder resumes.
            if (context.CancellationToken.IsCancellationRequested) throw;
            if (run.Token.IsCancellationRequested)
            {
                outcome = run.Reason == StopReason.TimedOut ? "timed_out" : "cancelled";
                await StoppedAsync(context, avid, run, epoch);
                return Outcome.Finished;
            }
            outcome = "lease_lost";
            await stats.AddAsync(LockStats.Names.LeaseLost);
            log.LogWarning(e is OperationCanceledException ? null : e,
                "Download {TaskId} of {Avid} lost its lease (epoch {Epoch}); stopped without reporting", task.TaskId, avid, epoch);
            return Outcome.Superseded;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Download {TaskId} of {Avid} failed (epoch {Epoch})", task.TaskId, avid, epoch);
            await stats.AddAsync(LockStats.Names.Failed);
            // The staging folder stays: a new request for this AVID resumes from the segments already fetched.
            await context.Publish(DownloadMessages.EngineFailed(task, epoch, e));
            await progress.ClearAsync(avid.Value);
            return Outcome.Finished;
        }
        finally
        {
            await reporter.DisposeAsync();
            await beating.CancelAsync();
            await beats;
            await heartbeats.EndedAsync(beat, outcome);
            metrics.Ended(outcome, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>Cancelled by a user, or timed out by the monitor: answered, and the staging of a cancel dropped.</summary>
    private async Task StoppedAsync(ConsumeContext<DownloadVideo> context, Avid avid, RunningDownloads.Running run, long epoch)
    {
        var reason = run.Reason ?? StopReason.Cancelled;
        log.LogInformation("Download {TaskId} of {Avid} stopped: {Reason}", context.Message.TaskId, avid, reason);
        await stats.AddAsync(reason == StopReason.TimedOut ? LockStats.Names.TimedOut : LockStats.Names.Cancelled);
        await context.Publish(DownloadMessages.Stopped(context.Message, epoch, reason, options.Value.Monitoring.CancelAfterMinutes));
        if (reason == StopReason.Cancelled) staging.DeleteAll(avid);
        await progress.ClearAsync(avid.Value);
    }

    private async Task BeatAsync(Heartbeat beat, ProgressReporter reporter, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.HeartbeatIntervalSeconds), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                var latest = reporter.Latest;
                var now = beat with
                {
                    UpdatedAt = clock.GetUtcNow(),
                    Phase = latest?.Phase == HlsPhase.Merge ? "merge" : "download",
                    Percent = latest?.Percent ?? 0,
                };
                try { await heartbeats.BeatAsync(now, ct); }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogWarning(e, "Heartbeat of task {TaskId} not written", beat.TaskId);
                }
            }
        }
        catch (OperationCanceledException) { }
    }
}
