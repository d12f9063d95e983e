namespace NasSav.Sagas.Outbox;

/// <summary>
/// A message a transaction published or sent, stored in that transaction and delivered after it committed
/// (<see cref="OutboxDispatcher{TDbContext}"/>). A scheduled message (a saga's step timeout) is the same row
/// with <see cref="DueAt"/> in the future and a <see cref="TokenId"/> to cancel it by.
/// </summary>
public sealed class OutboxMessage
{
    /// <summary>Insertion order; rows are delivered in this order within one dispatcher.</summary>
    public long SequenceNumber { get; set; }
    /// <summary>Kept on delivery, so a consumer's inbox recognises a second delivery of the same row.</summary>
    public Guid MessageId { get; set; }
    /// <summary>The CLR type (assembly-qualified) of a published message: delivery publishes it again through the
    /// bus's publish topology (exchanges and bindings declared as for any publish). Null for a send.</summary>
    public string? PublishType { get; set; }
    public required string DestinationAddress { get; set; }
    public string? SourceAddress { get; set; }
    public string? ResponseAddress { get; set; }
    public string? FaultAddress { get; set; }
    public Guid? ConversationId { get; set; }
    public Guid? CorrelationId { get; set; }
    public Guid? InitiatorId { get; set; }
    public Guid? RequestId { get; set; }
    public required string ContentType { get; set; }
    /// <summary>MassTransit's message type URNs, ';'-separated.</summary>
    public string? MessageType { get; set; }
    /// <summary>The serialized message as the transport would have carried it (envelope included).</summary>
    public required string Body { get; set; }
    /// <summary>JSON object of the send context's headers.</summary>
    public string? Headers { get; set; }
    /// <summary>JSON object of the transport's send properties (RabbitMQ: persistent, mandatory, ...).</summary>
    public string? Properties { get; set; }
    public DateTime SentTime { get; set; }
    /// <summary>Past this the message is dropped instead of delivered (a request nobody waits for any more).</summary>
    public DateTime? ExpirationTime { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>Not delivered before this: the commit time for ordinary messages, the due time of a scheduled one,
    /// and after a failed delivery the time of the next attempt.</summary>
    public DateTime DueAt { get; set; }
    /// <summary>Scheduling token of a scheduled message (CancelScheduledSend removes the row by it).</summary>
    public Guid? TokenId { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    /// <summary>A dispatcher claimed the row until then; another one takes it over only after this.</summary>
    public DateTime? LockedUntil { get; set; }
    public string? LockedBy { get; set; }
}

/// <summary>
/// One consumed message, per consumer (endpoint): a redelivery of a message whose transaction committed is
/// recognised by (message id, consumer) and acknowledged without running the consumer again.
/// </summary>
public sealed class InboxMessage
{
    public Guid MessageId { get; set; }
    public required string Consumer { get; set; }
    public DateTime ReceivedAt { get; set; }
}
