using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace NasSav.Catalog.Lifecycle;

/// <summary>
/// Endpoint policy of the lifecycle saga: the in-process scheduler (for step timeouts), retries for
/// transient database errors and concurrent updates, and the in-memory outbox so that commands,
/// answers and ResourceStateChanged leave only after the event was handled.
/// </summary>
public sealed class ResourceLifecycleDefinition : SagaDefinition<ResourceLifecycle>
{
    public ResourceLifecycleDefinition() => EndpointName = "resource-lifecycle";

    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpointConfigurator, ISagaConfigurator<ResourceLifecycle> sagaConfigurator,
        IRegistrationContext context)
    {
        // Before the outbox: the outbox wraps whatever scheduler it finds on the context.
        endpointConfigurator.UseFilter(new InProcessSchedulerFilter(context.GetRequiredService<InProcessMessageScheduler>()));
        endpointConfigurator.UseMessageRetry(r => r.Intervals(50, 200, 500, 1000, 2000));
        endpointConfigurator.UseInMemoryOutbox(context);
    }
}
