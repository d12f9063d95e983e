namespace NasSav.Contracts.Queue;

/// <summary>Published by catalog whenever the queue changes, after its database says so; gateways push it to clients.</summary>
public sealed record QueueStatusChanged
{
    public required QueueStatus Status { get; init; }
}
