using NasSav.Contracts.Queue;

namespace NasSav.Catalog.Queue;

/// <summary>Where the catalog reads the download queue from (the lifecycle saga, once the downloader exists).</summary>
public interface IQueueStatusSource
{
    Task<QueueStatus> GetAsync(CancellationToken ct);
}

/// <summary>No downloader yet, so nothing is queued or running: an honest empty queue.</summary>
public sealed class EmptyQueueStatusSource : IQueueStatusSource
{
    public Task<QueueStatus> GetAsync(CancellationToken ct) => Task.FromResult(new QueueStatus());
}
