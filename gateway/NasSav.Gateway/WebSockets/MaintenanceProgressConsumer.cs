using System.Buffers;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using NasSav.Contracts.Maintenance;
using NasSav.ServiceDefaults.Bus;

namespace NasSav.Gateway.WebSockets;

/// <summary>
/// A running maintenance job's progress as its own frame type: <c>{"type":"maintenance_progress","data":{run_id, job,
/// status, done, total, bytes, total_bytes, message, at}}</c>. Running frames may be dropped for a slow client
/// (progress); the final one (succeeded, failed, cancelled) is an event and kept.
/// </summary>
public sealed class MaintenanceProgressConsumer(FeedHub hub) : IConsumer<MaintenanceProgress>
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public Task Consume(ConsumeContext<MaintenanceProgress> context)
    {
        var m = context.Message;
        hub.Broadcast(new OutgoingFrame(m.Status == "running" ? FrameKind.Progress : FrameKind.Event, Frame(m)));
        return Task.CompletedTask;
    }

    public static byte[] Frame(MaintenanceProgress m)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("type", "maintenance_progress");
            w.WriteStartObject("data");
            w.WriteNumber("run_id", m.RunId);
            w.WriteString("job", m.Job);
            w.WriteString("status", m.Status);
            w.WriteNumber("done", m.Done);
            if (m.Total is { } total) w.WriteNumber("total", total); else w.WriteNull("total");
            w.WriteNumber("bytes", m.Bytes);
            if (m.TotalBytes is { } tb) w.WriteNumber("total_bytes", tb); else w.WriteNull("total_bytes");
            w.WriteString("message", m.Message);
            w.WriteNumber("at", m.At.ToUnixTimeMilliseconds() / 1000.0);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}

public static class MaintenanceFeedRegistration
{
    /// <summary>On a temporary queue of this gateway instance (like the task feed), so every instance gets every frame.</summary>
    public static IServiceCollection AddMaintenanceFeed(this IServiceCollection services)
    {
        var instance = $"{Environment.MachineName}-{Guid.NewGuid():N}".ToLowerInvariant();
        services.AddBusContribution(x => x.AddConsumer<MaintenanceProgressConsumer>().Endpoint(e =>
        {
            e.Name = $"gateway-maintenance-feed-{instance}";
            e.InstanceId = instance;
            e.Temporary = true;
            e.ConcurrentMessageLimit = 1; // frames in the order they were published
        }));
        return services;
    }
}
