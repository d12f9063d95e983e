using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using NasSav.ServiceDefaults.Sagas;

namespace NasSav.Catalog.Lifecycle;

/// <summary>
/// Endpoint policy of the lifecycle saga: the in-process scheduler (for step timeouts), retries for
/// lock conflicts, and the in-memory outbox so that commands, answers and ResourceStateChanged leave
/// only after the saga state and the library rows are committed.
/// </summary>
public sealed class ResourceLifecycleDefinition : SagaDefinition<ResourceLifecycle>
{
    public ResourceLifecycleDefinition() => EndpointName = "resource-lifecycle";

    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpointConfigurator, ISagaConfigurator<ResourceLifecycle> sagaConfigurator,
        IRegistrationContext context)
    {
        // Before the outbox: the outbox wraps whatever scheduler it finds on the context.
        endpointConfigurator.UseFilter(new InProcessSchedulerFilter(context.GetRequiredService<InProcessMessageScheduler>()));
        // Retry lock conflicts and duplicate first inserts, then the in-memory outbox (see docs/sagas.md).
        endpointConfigurator.UseEfSagaPipeline(context);
    }
}
