using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace NasSav.Maintenance.ErrorQueues;

/// <summary>
/// Error queues on RabbitMQ. The management API lists the vhost's queues ending in <c>_error</c> (AMQP cannot list
/// queues); AMQP reads and moves messages. Reading takes messages without acknowledging them and closes the channel,
/// which puts them back where they were. A replay publishes the message, body and properties unchanged but without
/// MassTransit's fault headers, to the exchange of its endpoint (MassTransit binds the exchange <c>X</c> to queue
/// <c>X</c>), waits for the broker's confirm, then acknowledges it in the error queue: a message is never lost, at
/// worst (a crash between the two) it is in both queues and the consumer's inbox or idempotence absorbs the copy.
/// </summary>
public sealed class RabbitMqErrorQueues(Uri amqp, Uri management, HttpClient http) : IErrorQueues
{
    public const string Suffix = "_error";

    public string? Unsupported => null;

    private string VHost
    {
        get
        {
            var path = Uri.UnescapeDataString(amqp.AbsolutePath.TrimStart('/'));
            return path.Length == 0 ? "/" : path;
        }
    }

    public async Task<IReadOnlyList<ErrorQueue>> ListAsync(CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Root(management), $"api/queues/{Uri.EscapeDataString(VHost)}?columns=name,messages"));
        request.Headers.Authorization = Credentials(management);
        using var response = await http.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(ct));
        return doc.RootElement.EnumerateArray()
            .Select(q => (Name: q.GetProperty("name").GetString() ?? "", Messages: q.TryGetProperty("messages", out var m) && m.ValueKind == JsonValueKind.Number ? m.GetInt64() : 0))
            .Where(q => q.Name.EndsWith(Suffix, StringComparison.Ordinal))
            .OrderBy(q => q.Name, StringComparer.Ordinal)
            .Select(q => new ErrorQueue(q.Name, q.Name[..^Suffix.Length], q.Messages))
            .ToList();
    }

    public async Task<(long Total, IReadOnlyList<ErrorMessage> Messages)> PeekAsync(string queue, int limit, CancellationToken ct)
    {
        await using var connection = await ConnectAsync(ct);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        var total = await CountAsync(channel, queue, ct);
        var messages = new List<ErrorMessage>();
        while (messages.Count < Math.Min(limit, total))
        {
            var result = await channel.BasicGetAsync(queue, autoAck: false, ct);
            if (result is null) break;
            messages.Add(Describe(result));
        }
        // Closing the channel returns the unacknowledged messages to the queue, in their places.
        await channel.CloseAsync(ct);
        return (total, messages);
    }

    public async Task<ReplayOutcome> ReplayAsync(string queue, IReadOnlySet<string>? messageIds, CancellationToken ct)
    {
        var endpoint = queue.EndsWith(Suffix, StringComparison.Ordinal) ? queue[..^Suffix.Length] : throw new ErrorQueueNotFoundException(queue);
        await using var connection = await ConnectAsync(ct);
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true,
            publisherConfirmationTrackingEnabled: true), ct);
        var total = await CountAsync(channel, queue, ct);
        var wanted = messageIds is null ? null : new HashSet<string>(messageIds, StringComparer.OrdinalIgnoreCase);
        var replayed = 0;
        for (var seen = 0L; seen < total && (wanted is null || wanted.Count > 0); seen++)
        {
            var result = await channel.BasicGetAsync(queue, autoAck: false, ct);
            if (result is null) break;
            var id = result.BasicProperties.MessageId;
            if (wanted is not null && (id is null || !wanted.Remove(id))) continue; // not asked for: stays (requeued on close)
            var properties = new BasicProperties(result.BasicProperties) { Headers = WithoutFault(result.BasicProperties.Headers) };
            await channel.BasicPublishAsync(endpoint, "", mandatory: true, properties, result.Body, ct);
            await channel.BasicAckAsync(result.DeliveryTag, multiple: false, ct);
            replayed++;
        }
        await channel.CloseAsync(ct);
        return new ReplayOutcome(replayed, wanted?.Order(StringComparer.Ordinal).ToList() ?? []);
    }

    private async Task<IConnection> ConnectAsync(CancellationToken ct) =>
        await new ConnectionFactory { Uri = amqp, ClientProvidedName = "nassav-maintenance-error-queues" }.CreateConnectionAsync(ct);

    private static async Task<long> CountAsync(IChannel channel, string queue, CancellationToken ct)
    {
        if (!queue.EndsWith(Suffix, StringComparison.Ordinal)) throw new ErrorQueueNotFoundException(queue);
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue, ct)).MessageCount;
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
        {
            throw new ErrorQueueNotFoundException(queue);
        }
    }

    private static ErrorMessage Describe(BasicGetResult result)
    {
        var headers = result.BasicProperties.Headers ?? new Dictionary<string, object?>();
        var fault = headers.Where(h => h.Key.StartsWith("MT-Fault-", StringComparison.OrdinalIgnoreCase) || h.Key == "MT-Reason")
            .ToDictionary(h => h.Key.StartsWith("MT-Fault-", StringComparison.OrdinalIgnoreCase) ? h.Key["MT-Fault-".Length..] : "Reason",
                h => Text(h.Value), StringComparer.OrdinalIgnoreCase);
        JsonElement? message = null;
        IReadOnlyList<string> types = [];
        var id = result.BasicProperties.MessageId;
        try
        {
            using var doc = JsonDocument.Parse(result.Body);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("message", out var inner))
            {
                message = inner.Clone();
                if (root.TryGetProperty("messageType", out var t) && t.ValueKind == JsonValueKind.Array)
                    types = t.EnumerateArray().Select(x => x.GetString() ?? "").ToList();
                if (id is null && root.TryGetProperty("messageId", out var mid)) id = mid.GetString();
            }
            else
            {
                message = root.Clone();
            }
        }
        catch (JsonException)
        {
            message = JsonDocument.Parse(JsonSerializer.Serialize(Encoding.UTF8.GetString(result.Body.Span))).RootElement.Clone();
        }
        return new ErrorMessage { MessageId = id, MessageTypes = types, Fault = fault, Redelivered = result.Redelivered, Message = message };
    }

    private static Dictionary<string, object?>? WithoutFault(IDictionary<string, object?>? headers) =>
        headers?.Where(h => !h.Key.StartsWith("MT-Fault-", StringComparison.OrdinalIgnoreCase) && h.Key != "MT-Reason")
            .ToDictionary(h => h.Key, h => h.Value);

    private static string Text(object? value) => value switch
    {
        null => "",
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };

    private static Uri Root(Uri uri) => new UriBuilder(uri) { UserName = "", Password = "", Path = "/", Query = "" }.Uri;

    private static AuthenticationHeaderValue Credentials(Uri uri)
    {
        var parts = uri.UserInfo.Split(':', 2);
        var text = $"{Uri.UnescapeDataString(parts[0])}:{(parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "")}";
        return new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(text)));
    }
}
