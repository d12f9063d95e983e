using MassTransit;
using Microsoft.Extensions.Logging;
using NasSav.Media.Avids;

namespace NasSav.Catalog.Lifecycle;

/// <summary>
/// Recovery: a lifecycle stuck in a step past its deadline, a failed one, or a row without metadata is resumed by
/// sending the step's command again (<see cref="ResumeLifecycle"/> from the watchdog or an operator; an add of such an
/// AVID does the same through <see cref="PlanAddWhenSettledAsync"/>). See docs/lifecycle.md, "Watchdog".
/// </summary>
public sealed partial class LifecycleSteps
{
    /// <summary>No instance (lost, or the row predates the lifecycle): a row without metadata gets one, at the right step.</summary>
    public async Task PlanResumeNewAsync(BehaviorContext<ResourceLifecycle, ResumeLifecycle> c)
    {
        var row = TryAvid(c.Message.Avid, c.Message.CorrelationId, out var avid) ? await library.StateAsync(avid.Value, c.CancellationToken) : null;
        if (row is null or { HasMetadata: true })
        {
            c.SetNext(NextStep.Final); // nothing to resume: keep no instance
            return;
        }
        c.Saga.Avid = avid.Value;
        c.Saga.RequestedSource = "any";
        ResumeWithoutMetadata(c, row, hold: false);
        Repaired(c.Saga);
    }

    public async Task PlanResumeAsync(BehaviorContext<ResourceLifecycle, ResumeLifecycle> c)
    {
        var s = c.Saga;
        // The watchdog decides from a listing that may be older than the resumes it already sent (one per round):
        // the saga holds the count, so a late duplicate cannot go past MaxAutoRepairs. An operator's resume can.
        if (!c.Message.Force && s.RepairAttempts >= Options.Watchdog.MaxAutoRepairs)
        {
            logger.LogDebug("Lifecycle of {Avid} is out of automatic resumes ({Attempts}); not resumed", s.Avid, s.RepairAttempts);
            return;
        }
        if (RunningStep(s) is var running and not NextStep.None)
        {
            if (!IsStale(s) && !c.Message.Force)
            {
                logger.LogDebug("Lifecycle of {Avid} is in {State} within its deadline; not resumed", s.Avid, s.CurrentState);
                return;
            }
            logger.LogWarning("Resuming the {State} step of {Avid} (deadline {Deadline:O})", s.CurrentState, s.Avid, s.StepDeadline);
            c.SetNext(running);
            Repaired(s);
            return;
        }

        var row = await library.StateAsync(s.Avid, c.CancellationToken);
        if (IsFailed(s))
        {
            var step = s.FailedStep;
            logger.LogWarning("Resuming the failed {Step} step of {Avid} ({Reason})", step, s.Avid, s.FailureReason);
            if (row is null)
            {
                // A failed add leaves no row: start it over (the source step first).
                BeginRun(s, Avid.Parse(s.Avid), refresh: false);
                c.SetNext(NextStep.Source);
            }
            else
            {
                ClearFailure(s);
                if (s.IsRefresh) s.Source = row.Source;
                c.SetNext(step == LifecycleStepNames.Source ? NextStep.Source : NextStep.Metadata);
            }
            Repaired(s);
            return;
        }

        if (row is { HasMetadata: false } && !IsFailed(s))
        {
            logger.LogWarning("Resuming {Avid}, whose row has no metadata", s.Avid);
            ResumeWithoutMetadata(c, row, hold: false);
            Repaired(s);
        }
    }

    /// <summary>An add run for a row that exists without metadata: its source step when it has no source yet, else the metadata step.</summary>
    private void ResumeWithoutMetadata(BehaviorContext<ResourceLifecycle> c, LibraryWriter.RowState row, bool hold)
    {
        var s = c.Saga;
        BeginRun(s, Avid.Parse(s.Avid), refresh: false);
        if (hold) Hold(c, s, AddKind);
        if (string.IsNullOrEmpty(row.Source) || string.IsNullOrEmpty(row.M3u8))
        {
            c.SetNext(NextStep.Source);
            return;
        }
        s.Source ??= row.Source;
        c.SetNext(NextStep.Metadata);
    }

    /// <summary>The step a running lifecycle is in, to be sent again (a late answer to the first command is just as good).</summary>
    private static NextStep RunningStep(ResourceLifecycle s) => s.CurrentState switch
    {
        nameof(ResourceLifecycleStateMachine.ResolvingSource) => NextStep.Source,
        nameof(ResourceLifecycleStateMachine.ScrapingMetadata) => NextStep.Metadata,
        nameof(ResourceLifecycleStateMachine.Translating) => NextStep.Translation,
        _ => NextStep.None,
    };

    private static bool IsFailed(ResourceLifecycle s) => s.CurrentState == nameof(ResourceLifecycleStateMachine.Failed);

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
