using MassTransit;
using Microsoft.Extensions.Logging;
using NasSav.Media.Avids;

namespace NasSav.Catalog.Lifecycle;

/// <summary>
/// Recovery: a lifecycle stuck in a step past its deadline, a failed one, or a row without metadata is resumed by
/// resending the step's command (<see cref="ResumeLifecycle"/> from the watchdog or an operator; an add of such an
/// AVID does the same through <see cref="AddWhenSettledAsync"/>). See docs/lifecycle.md, "Watchdog".
/// </summary>
public sealed partial class LifecycleSteps
{
    /// <summary>No instance (lost, or the row predates the lifecycle): a row without metadata gets one, at the right step.</summary>
    public async Task ResumeNewAsync(BehaviorContext<ResourceLifecycle, ResumeLifecycle> c)
    {
        var row = TryAvid(c.Message.Avid, c.Message.CorrelationId, out var avid) ? await library.StateAsync(avid.Value, c.CancellationToken) : null;
        if (row is null or { HasMetadata: true })
        {
            await c.TransitionToState(machine.Final); // nothing to resume: keep no instance
            return;
        }
        c.Saga.Avid = avid.Value;
        c.Saga.RequestedSource = "any";
        await ResumeWithoutMetadataAsync(c, row, "any", hold: false);
        Repaired(c.Saga);
    }

    public async Task ResumeAsync(BehaviorContext<ResourceLifecycle, ResumeLifecycle> c)
    {
        var s = c.Saga;
        if (s.CurrentState == machine.ResolvingSource.Name || s.CurrentState == machine.ScrapingMetadata.Name || s.CurrentState == machine.Translating.Name)
        {
            if (!IsStale(s) && !c.Message.Force)
            {
                logger.LogDebug("Lifecycle of {Avid} is in {State} within its deadline; not resumed", s.Avid, s.CurrentState);
                return;
            }
            logger.LogWarning("Resuming the {State} step of {Avid} (deadline {Deadline:O})", s.CurrentState, s.Avid, s.StepDeadline);
            await ResendStepAsync(c);
            Repaired(s);
            return;
        }

        var row = await library.StateAsync(s.Avid, c.CancellationToken);
        if (s.CurrentState == machine.Failed.Name)
        {
            logger.LogWarning("Resuming the failed {Step} step of {Avid} ({Reason})", s.FailedStep, s.Avid, s.FailureReason);
            if (row is null)
            {
                // A failed add leaves no row: start it over (the source step first).
                BeginRun(s, Avid.Parse(s.Avid), refresh: false);
                await FetchSourceAsync(c, s.RequestedSource);
            }
            else
            {
                var step = s.FailedStep;
                ClearFailure(s);
                if (step == LifecycleStepNames.Source) await FetchSourceAsync(c, s.IsRefresh ? row.Source : s.RequestedSource);
                else await ScrapeMetadataAsync(c);
            }
            Repaired(s);
            return;
        }

        if (row is { HasMetadata: false } && (s.CurrentState == machine.Ready.Name || s.CurrentState == machine.Downloaded.Name))
        {
            logger.LogWarning("Resuming {Avid}, whose row has no metadata", s.Avid);
            await ResumeWithoutMetadataAsync(c, row, s.RequestedSource, hold: false);
            Repaired(s);
        }
    }

    /// <summary>An add run for a row that exists without metadata: its source step when it has no source yet, else the metadata step.</summary>
    private async Task ResumeWithoutMetadataAsync(BehaviorContext<ResourceLifecycle> c, LibraryWriter.RowState row, string source, bool hold)
    {
        var s = c.Saga;
        BeginRun(s, Avid.Parse(s.Avid), refresh: false);
        if (hold) Hold(c, s, AddKind);
        if (string.IsNullOrEmpty(row.Source) || string.IsNullOrEmpty(row.M3u8))
        {
            await FetchSourceAsync(c, source);
            return;
        }
        s.Source ??= row.Source;
        await ScrapeMetadataAsync(c);
    }

    /// <summary>The running step's command again, with a new deadline (a late answer to the first one is just as good).</summary>
    private async Task ResendStepAsync(BehaviorContext<ResourceLifecycle> c)
    {
        var s = c.Saga;
        if (s.CurrentState == machine.ResolvingSource.Name) await FetchSourceAsync(c, s.IsRefresh ? s.Source ?? "any" : s.RequestedSource);
        else if (s.CurrentState == machine.ScrapingMetadata.Name) await ScrapeMetadataAsync(c);
        else if (!await QueueTranslationAsync(c)) await BecomeReadyAsync(c);
    }

    private static void ClearFailure(ResourceLifecycle s)
    {
        s.FailedStep = s.FailureReason = null;
        s.FailureCode = null;
        s.FailedAt = null;
    }

    private void Repaired(ResourceLifecycle s)
    {
        s.RepairAttempts++;
        s.LastRepairAt = Now;
    }
}
