using MassTransit;
using NasSav.Contracts.Maintenance;
using NasSav.Media.Avids;

namespace NasSav.Catalog.Watchdog;

/// <summary>The maintenance check "lifecycles" reads the problems and asks for repairs over the bus.</summary>
public sealed class LifecycleProblemsConsumer(LifecycleProblems problems, LifecycleRepairs repairs) :
    IConsumer<GetLifecycleProblems>, IConsumer<RepairLifecycle>
{
    public async Task Consume(ConsumeContext<GetLifecycleProblems> context)
    {
        var all = await problems.ListAsync(context.CancellationToken);
        await context.RespondAsync(new LifecycleProblemList
        {
            Total = all.Count,
            Items = all.Take(Math.Clamp(context.Message.Limit, 1, 10000)).Select(p => new LifecycleProblemItem
            {
                Avid = p.Avid, Kind = p.Kind, State = p.State, Reason = p.Reason, AutoRepairable = p.AutoRepairable,
            }).ToList(),
        });
    }

    public async Task Consume(ConsumeContext<RepairLifecycle> context)
    {
        if (!Avid.TryParse(context.Message.Avid, out var avid, out var error))
        {
            await context.RespondAsync(new RepairApplied { Error = error });
            return;
        }
        await repairs.ResumeAsync([avid], force: true, context.CancellationToken);
        await context.RespondAsync(new RepairApplied { Applied = true });
    }
}
