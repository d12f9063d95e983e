using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NasSav.Catalog.Lifecycle;
using NasSav.Media.Avids;

namespace NasSav.Catalog.Watchdog;

/// <summary>
/// Every Lifecycle:Watchdog:IntervalSeconds: lists the lifecycles that need attention (<see cref="LifecycleProblems"/>),
/// logs them, and resumes the ones it may (AutoRepair). Several catalog instances may run it at once: a second resume
/// of the same AVID finds its step within the new deadline and changes nothing.
/// </summary>
public sealed class LifecycleWatchdog(IServiceScopeFactory scopes, IOptions<LifecycleOptions> options, TimeProvider clock, ILogger<LifecycleWatchdog> logger)
    : BackgroundService
{
    // Resumes this instance sent, so a broker outage (resumes waiting in the outbox) does not pile up more of them.
    private readonly ConcurrentDictionary<string, DateTime> _sent = new(StringComparer.Ordinal);

    private LifecycleWatchdogOptions Options => options.Value.Watchdog;

    /// <summary>Rounds completed since start (tests wait on it).</summary>
    public long Rounds => Interlocked.Read(ref _rounds);

    private long _rounds;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Options.Enabled) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Options.Interval, clock, stoppingToken);
                await RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "The lifecycle watchdog could not complete a round; trying again in {Interval}", Options.Interval);
            }
        }
    }

    public async Task RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var problems = await scope.ServiceProvider.GetRequiredService<LifecycleProblems>().ListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var (avid, at) in _sent)
            if (now - at > Options.RetryAfter) _sent.TryRemove(avid, out _);

        var resume = Options.AutoRepair
            ? problems.Where(p => p.AutoRepairable && !_sent.ContainsKey(p.Avid)).Select(p => Avid.Parse(p.Avid)).ToList()
            : [];
        if (problems.Count > 0)
            logger.LogWarning("Lifecycle watchdog: {Overdue} overdue, {Failed} failed, {NoMetadata} without metadata; resuming {Resumed}",
                problems.Count(p => p.Kind == LifecycleProblem.Overdue), problems.Count(p => p.Kind == LifecycleProblem.Failed),
                problems.Count(p => p.Kind == LifecycleProblem.NoMetadata), resume.Count);
        if (resume.Count > 0)
        {
            await scope.ServiceProvider.GetRequiredService<LifecycleRepairs>().ResumeAsync(resume, force: false, ct);
            foreach (var avid in resume) _sent[avid.Value] = now;
        }
        Interlocked.Increment(ref _rounds);
    }
}
