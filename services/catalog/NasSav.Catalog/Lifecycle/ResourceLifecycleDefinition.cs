using MassTransit;
using NasSav.Catalog.Data;
using NasSav.Sagas;

namespace NasSav.Catalog.Lifecycle;

/// <summary>
/// Endpoint policy of the lifecycle saga: retries for lock conflicts, then one transaction of CatalogDbContext per
/// message holding the saga row, the library rows, the inbox row and the outbox rows — commands, answers,
/// ResourceStateChanged and the step timeouts (durable, scheduled as due rows) — which leave only after the commit.
/// </summary>
public sealed class ResourceLifecycleDefinition : EfSagaDefinition<ResourceLifecycle, CatalogDbContext>
{
    public ResourceLifecycleDefinition() => EndpointName = "resource-lifecycle";
}
