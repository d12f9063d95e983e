using System.Buffers;
using System.Text.Json;
using NasSav.Contracts.Queue;

namespace NasSav.Gateway.WebSockets;

/// <summary>
/// The one mapping from the queue contracts to the NASSAV JSON shape (reference §1.2 /tasks/queue/status
/// and §2 queue_status): <c>{active_tasks, pending_tasks, active_count, pending_count, total_count}</c>,
/// tasks <c>{task_id, avid, state, task_type, created_at, updated_at?, title?, progress?}</c>, times as
/// epoch-seconds floats. Every frame the gateway sends about the queue goes through here.
/// </summary>
public static class QueueStatusJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static readonly QueueStatus Empty = new();

    /// <summary><c>{"type":"queue_status","data":{...}}</c> as UTF-8.</summary>
    public static byte[] Frame(QueueStatus status)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "queue_status");
            writer.WritePropertyName("data");
            WriteData(writer, status);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The <c>data</c> object alone (the same body as REST /tasks/queue/status's data).</summary>
    public static byte[] Data(QueueStatus status)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions)) WriteData(writer, status);
        return buffer.WrittenSpan.ToArray();
    }

    public static void WriteData(Utf8JsonWriter writer, QueueStatus status)
    {
        var active = status.ActiveTasks ?? [];
        var pending = status.PendingTasks ?? [];
        writer.WriteStartObject();
        writer.WritePropertyName("active_tasks");
        WriteTasks(writer, active);
        writer.WritePropertyName("pending_tasks");
        WriteTasks(writer, pending);
        writer.WriteNumber("active_count", active.Count);
        writer.WriteNumber("pending_count", pending.Count);
        writer.WriteNumber("total_count", active.Count + pending.Count);
        writer.WriteEndObject();
    }

    private static void WriteTasks(Utf8JsonWriter writer, IReadOnlyList<QueuedTask> tasks)
    {
        writer.WriteStartArray();
        foreach (var task in tasks.OrderBy(t => t.CreatedAt))
        {
            writer.WriteStartObject();
            writer.WriteString("task_id", task.TaskId);
            writer.WriteString("avid", task.Avid);
            writer.WriteString("state", task.State);
            writer.WriteString("task_type", task.TaskType);
            writer.WriteNumber("created_at", EpochSeconds(task.CreatedAt));
            if (task.UpdatedAt is { } updated) writer.WriteNumber("updated_at", EpochSeconds(updated));
            if (task.Title is not null) writer.WriteString("title", task.Title);
            if (task.Progress is { } progress)
            {
                writer.WriteStartObject("progress");
                writer.WriteNumber("percent", double.IsFinite(progress.Percent) ? progress.Percent : 0);
                writer.WriteString("speed", progress.Speed);
                writer.WriteString("eta", progress.Eta ?? "");
                writer.WriteNumber("updated_at", EpochSeconds(progress.UpdatedAt));
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    /// <summary>Seconds since 1970 with millisecond precision, as the peer's time.time() floats.</summary>
    public static double EpochSeconds(DateTimeOffset value) => value.ToUnixTimeMilliseconds() / 1000.0;
}
