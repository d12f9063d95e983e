using System.Text.Json;

namespace NasSav.Maintenance.ErrorQueues;

/// <summary>A queue of messages that faulted (MassTransit's <c>{endpoint}_error</c>) and how many it holds.</summary>
public sealed record ErrorQueue(string Name, string Endpoint, long Messages);

/// <summary>One faulted message as it waits in its error queue.</summary>
public sealed record ErrorMessage
{
    public string? MessageId { get; init; }
    public IReadOnlyList<string> MessageTypes { get; init; } = [];
    /// <summary>The MT-Fault-* headers (exception type and message, consumer, time, ...), prefix removed.</summary>
    public IReadOnlyDictionary<string, string> Fault { get; init; } = new Dictionary<string, string>();
    public bool Redelivered { get; init; }
    /// <summary>The message itself (the envelope's <c>message</c>), or the raw body when it is not an envelope.</summary>
    public JsonElement? Message { get; init; }
}

/// <summary>Moved back: how many, and the asked-for ids that were not in the queue.</summary>
public sealed record ReplayOutcome(int Replayed, IReadOnlyList<string> NotFound);

public sealed class ErrorQueueNotFoundException(string queue) : Exception($"error queue {queue} does not exist");

/// <summary>
/// The broker's error queues: list them, read their messages without taking them, and move messages back to the
/// queue they came from (replay), once whatever made them fault is fixed.
/// </summary>
public interface IErrorQueues
{
    /// <summary>Why this transport has nothing to list (null when it has).</summary>
    string? Unsupported { get; }

    Task<IReadOnlyList<ErrorQueue>> ListAsync(CancellationToken ct);

    /// <exception cref="ErrorQueueNotFoundException">No such error queue.</exception>
    Task<(long Total, IReadOnlyList<ErrorMessage> Messages)> PeekAsync(string queue, int limit, CancellationToken ct);

    /// <param name="messageIds">Null: every message of the queue.</param>
    /// <exception cref="ErrorQueueNotFoundException">No such error queue.</exception>
    Task<ReplayOutcome> ReplayAsync(string queue, IReadOnlySet<string>? messageIds, CancellationToken ct);
}

/// <summary>
/// The in-memory bus (standalone): MassTransit keeps faulted messages in in-memory <c>_error</c> queues of the process that
/// nobody reads and that go with it. There is nothing to list or replay; the faults are in the log.
/// </summary>
public sealed class InMemoryErrorQueues : IErrorQueues
{
    public string Unsupported =>
        "错误队列只在 RabbitMQ 上保存 (Bus:Transport=RabbitMq)。内存总线 (standalone) 上出错的消息只记录在日志中，进程退出即丢失，无法列出或重放";

    public Task<IReadOnlyList<ErrorQueue>> ListAsync(CancellationToken ct) => throw new NotSupportedException(Unsupported);

    public Task<(long Total, IReadOnlyList<ErrorMessage> Messages)> PeekAsync(string queue, int limit, CancellationToken ct) =>
        throw new NotSupportedException(Unsupported);

    public Task<ReplayOutcome> ReplayAsync(string queue, IReadOnlySet<string>? messageIds, CancellationToken ct) =>
        throw new NotSupportedException(Unsupported);
}
