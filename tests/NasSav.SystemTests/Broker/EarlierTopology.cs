using System.Text.Json;
using NasSav.Testing;
using RabbitMQ.Client;

namespace NasSav.SystemTests.Broker;

/// <summary>
/// The durable exchanges, queues and bindings an earlier MassTransit declared (captured from the management API
/// after every host of that version started once on an empty vhost: Broker/topology-masstransit-8.4.0.json).
/// Declaring them first, with their arguments as they were, makes the broker what an upgraded deployment finds:
/// RabbitMQ refuses a redeclaration whose arguments differ (PRECONDITION_FAILED), so hosts of this version must
/// declare exactly the same.
/// </summary>
public static class EarlierTopology
{
    public const string MassTransit84 = "topology-masstransit-8.4.0.json";

    public static async Task<JsonDocument> DeclareAsync(string amqpUri, string file = MassTransit84)
    {
        var doc = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "tests", "NasSav.SystemTests", "Broker", file)));
        var factory = new ConnectionFactory { Uri = new Uri(amqpUri) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var root = doc.RootElement;
        foreach (var e in root.GetProperty("exchanges").EnumerateArray())
            await channel.ExchangeDeclareAsync(e.GetProperty("name").GetString()!, e.GetProperty("type").GetString()!,
                e.GetProperty("durable").GetBoolean(), e.GetProperty("autoDelete").GetBoolean(), Arguments(e));
        foreach (var q in root.GetProperty("queues").EnumerateArray())
            await channel.QueueDeclareAsync(q.GetProperty("name").GetString()!, q.GetProperty("durable").GetBoolean(),
                q.GetProperty("exclusive").GetBoolean(), q.GetProperty("autoDelete").GetBoolean(), Arguments(q));
        foreach (var b in root.GetProperty("bindings").EnumerateArray())
        {
            var (source, destination, key) = (b.GetProperty("source").GetString()!, b.GetProperty("destination").GetString()!, b.GetProperty("routingKey").GetString()!);
            if (b.GetProperty("destinationType").GetString() == "queue") await channel.QueueBindAsync(destination, source, key, Arguments(b));
            else await channel.ExchangeBindAsync(destination, source, key, Arguments(b));
        }
        return doc;
    }

    /// <summary>The arguments of one declaration, as the AMQP values they were (booleans, numbers, strings).</summary>
    public static Dictionary<string, object?> Arguments(JsonElement declaration) =>
        declaration.GetProperty("arguments").EnumerateObject().ToDictionary(p => p.Name, p => (object?)(p.Value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => p.Value.GetInt64(),
            JsonValueKind.String => p.Value.GetString(),
            _ => throw new NotSupportedException($"argument {p.Name}: {p.Value}"),
        }));
}
