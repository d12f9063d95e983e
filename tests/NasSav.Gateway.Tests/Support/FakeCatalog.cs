using MassTransit;
using NasSav.Contracts.Queue;

namespace NasSav.Gateway.Tests.Support;

/// <summary>A protocol-level stand-in for catalog: answers GetQueueStatus with whatever <see cref="Current"/> holds.</summary>
public sealed class FakeCatalog
{
    private int _requests;
    public QueueStatus Current { get; set; } = new();
    public int Requests => Volatile.Read(ref _requests);
    internal void Count() => Interlocked.Increment(ref _requests);
}

public sealed class FakeCatalogQueueConsumer(FakeCatalog catalog) : IConsumer<GetQueueStatus>
{
    public Task Consume(ConsumeContext<GetQueueStatus> context)
    {
        catalog.Count();
        return context.RespondAsync(catalog.Current);
    }
}
