using NasSav.Catalog.Data;
using NasSav.Catalog.Lifecycle;
using NasSav.Media.Avids;
using NasSav.Sagas.Outbox;

namespace NasSav.Catalog.Watchdog;

/// <summary>
/// Resumes lifecycles: one <see cref="ResumeLifecycle"/> per AVID through the catalog's outbox (committed before this
/// returns, delivered even if the broker is down right now). The saga decides what to resend, if anything.
/// </summary>
public sealed class LifecycleRepairs(TransactionalOutbox<CatalogDbContext> outbox)
{
    /// <param name="force">An operator asked: a step running within its deadline is resent too.</param>
    public async Task ResumeAsync(IReadOnlyCollection<Avid> avids, bool force, CancellationToken ct)
    {
        if (avids.Count == 0) return;
        foreach (var avid in avids)
            await outbox.PublishEndpoint.Publish(new ResumeLifecycle { CorrelationId = avid.CorrelationId, Avid = avid.Value, Force = force }, ct);
        await outbox.SaveChangesAsync(ct);
    }
}
