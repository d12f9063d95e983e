namespace NasSav.Maintenance.Consistency;

/// <summary>
/// Lifecycles that need attention, as catalog's watchdog sees them: a step past its deadline (lifecycle_overdue), a failed
/// lifecycle (lifecycle_failed), a row without metadata (metadata_missing). Apply resumes each (catalog resends its step);
/// catalog's watchdog already resumes the recoverable ones on its own, this reports all and repairs on request.
/// </summary>
public sealed class LifecycleCheck : IConsistencyCheck
{
    public string Name => "lifecycles";

    public async Task RunAsync(CheckContext context)
    {
        var problems = await context.Library.LifecycleProblemsAsync(context.Cancellation);
        foreach (var p in problems)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            var issue = context.Report(new CheckIssue
            {
                Check = Name,
                Kind = p.Kind switch { "overdue" => "lifecycle_overdue", "failed" => "lifecycle_failed", _ => "metadata_missing" },
                Avid = p.Avid,
                State = p.State,
                Reason = p.Reason,
            });
            if (context.Apply) await context.FixAsync(issue, () => context.Library.RepairLifecycleAsync(p.Avid, context.Cancellation));
        }
    }
}
