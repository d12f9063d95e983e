namespace NasSav.Contracts.Queue;

/// <summary>Request (answered by catalog with <see cref="QueueStatus"/>): the download queue as the saga sees it.</summary>
public sealed record GetQueueStatus;
