using System.Text.Json;
using MassTransit;
using MassTransit.Context;
using MassTransit.Middleware;
using MassTransit.Serialization;

namespace NasSav.Sagas.Outbox;

/// <summary>A send context turned into an <see cref="OutboxMessage"/> row, and the row back into what MassTransit sends.</summary>
internal static class OutboxRows
{
    /// <summary>
    /// Serializes the message as the transport would (envelope, headers, addresses). A <see cref="SendContext.Delay"/>
    /// makes it a scheduled row, due then; <see cref="SendContext.ScheduledMessageId"/> is its cancel token.
    /// </summary>
    /// <param name="published">The context is a publish (its destination is the publish address of <typeparamref name="T"/>):
    /// delivery publishes it again. Send contexts of MassTransit all look like publish contexts, hence the flag.</param>
    public static OutboxMessage Capture<T>(SendContext<T> context, DateTime now, bool published) where T : class
    {
        var messageId = context.MessageId ?? throw new MessageException(typeof(T), "The outbox needs a MessageId");
        var body = context.Serializer.GetMessageBody(context);
        var properties = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
        if (context is TransportSendContext transport) transport.WritePropertiesTo(properties);
        return new OutboxMessage
        {
            MessageId = messageId,
            PublishType = published ? typeof(T).AssemblyQualifiedName : null,
            DestinationAddress = (context.DestinationAddress ?? throw new MessageException(typeof(T), "The outbox needs a destination")).ToString(),
            SourceAddress = context.SourceAddress?.ToString(),
            ResponseAddress = context.ResponseAddress?.ToString(),
            FaultAddress = context.FaultAddress?.ToString(),
            ConversationId = context.ConversationId,
            CorrelationId = context.CorrelationId,
            InitiatorId = context.InitiatorId,
            RequestId = context.RequestId,
            ContentType = context.ContentType?.ToString() ?? context.Serialization.DefaultContentType.ToString(),
            MessageType = string.Join(';', context.SupportedMessageTypes),
            Body = body.GetString(),
            Headers = ToJson(context.Headers.GetAll()),
            Properties = properties.Count == 0 ? null : ToJson(properties),
            SentTime = context.SentTime ?? now,
            ExpirationTime = context.TimeToLive is { } ttl && ttl > TimeSpan.Zero ? now + ttl : null,
            CreatedAt = now,
            DueAt = context.Delay is { } delay && delay > TimeSpan.Zero ? now + delay : now,
            TokenId = context.Delay is not null ? context.ScheduledMessageId : null,
        };
    }

    private static string ToJson(IEnumerable<KeyValuePair<string, object>> values)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in values)
            map[key] = value switch
            {
                null => null,
                string or bool or int or long or short or byte or double or float or decimal => value,
                DateTime d => d.ToUniversalTime().ToString("O"),
                DateTimeOffset d => d.ToString("O"),
                _ => value.ToString(),
            };
        return JsonSerializer.Serialize(map);
    }

    public static Dictionary<string, object?> FromJson(string? json)
    {
        var map = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrEmpty(json)) return map;
        using var doc = JsonDocument.Parse(json);
        foreach (var p in doc.RootElement.EnumerateObject())
        {
            object? value = p.Value.ValueKind switch
            {
                JsonValueKind.String => p.Value.GetString(),
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.Number when p.Value.TryGetInt64(out var l) => l,
                JsonValueKind.Number => p.Value.GetDouble(),
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                _ => p.Value.GetRawText(),
            };
            if (value is not null) map[p.Name] = value;
        }
        return map;
    }
}

/// <summary>A stored row as MassTransit's <see cref="OutboxMessageSendPipe"/> reads it.</summary>
internal sealed class StoredOutboxMessage(OutboxMessage row) : OutboxMessageContext
{
    private readonly Headers _headers = new DictionarySendHeaders(OutboxRows.FromJson(row.Headers));
    private readonly IReadOnlyDictionary<string, object> _properties = OutboxRows.FromJson(row.Properties).ToDictionary(p => p.Key, p => p.Value!, StringComparer.OrdinalIgnoreCase);

    public long SequenceNumber => row.SequenceNumber;
    public Guid MessageId => row.MessageId;
    public string ContentType => row.ContentType;
    public string MessageType => row.MessageType ?? "";
    public string Body => row.Body;
    public IReadOnlyDictionary<string, object> Properties => _properties;

    Guid? MessageContext.MessageId => row.MessageId;
    public Guid? RequestId => row.RequestId;
    public Guid? CorrelationId => row.CorrelationId;
    public Guid? ConversationId => row.ConversationId;
    public Guid? InitiatorId => row.InitiatorId;
    public DateTime? ExpirationTime => row.ExpirationTime;
    public Uri? SourceAddress => Address(row.SourceAddress);
    public Uri? DestinationAddress => Address(row.DestinationAddress);
    public Uri? ResponseAddress => Address(row.ResponseAddress);
    public Uri? FaultAddress => Address(row.FaultAddress);
    public DateTime? SentTime => row.SentTime;
    public Headers Headers => _headers;
    public HostInfo Host => MassTransit.Metadata.HostMetadataCache.Host;

    private static Uri? Address(string? value) => string.IsNullOrEmpty(value) ? null : new Uri(value);
}
