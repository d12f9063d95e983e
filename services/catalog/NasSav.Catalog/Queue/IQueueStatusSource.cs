using NasSav.Contracts.Queue;

namespace NasSav.Catalog.Queue;

/// <summary>Where the catalog reads the download queue from: the lifecycle saga (<see cref="SagaQueueStatusSource"/>).</summary>
public interface IQueueStatusSource
{
    Task<QueueStatus> GetAsync(CancellationToken ct);
}
