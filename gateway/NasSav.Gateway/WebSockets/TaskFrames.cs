using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using NasSav.Contracts.Downloads;

namespace NasSav.Gateway.WebSockets;

/// <summary>
/// The task frames of reference §2, field for field: <c>task_started {task_id, avid, status:"started"}</c>,
/// flat <c>progress_update {task_id, avid, percent, speed, eta, phase}</c> (phase is ours), <c>task_completed {task_id, avid,
/// status:"success"|"completed" (mock), message}</c>, <c>task_failed {task_id, avid, status:"failed", message, error}</c>.
/// </summary>
public static class TaskFrames
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Started(DownloadStarted m) => Write("task_started", w =>
    {
        Ids(w, m.TaskId, m.Avid);
        w.WriteString("status", "started");
    });

    public static byte[] Progress(DownloadProgressed m) => Write("progress_update", w =>
    {
        Ids(w, m.TaskId, m.Avid);
        w.WriteNumber("percent", double.IsFinite(m.Percent) ? Math.Round(m.Percent, 2) : 0);
        w.WriteString("speed", m.Speed ?? "");
        w.WriteString("eta", m.Eta ?? "");
        // Ours, after the peer's fields (its UI ignores it): "download" or "merge", for our web UI's and the CLI's progress bars.
        w.WriteString("phase", m.Phase);
    });

    public static byte[] Ended(DownloadTaskEnded m) => m.Succeeded
        ? Write("task_completed", w =>
        {
            Ids(w, m.TaskId, m.Avid);
            w.WriteString("status", m.Mock ? "completed" : "success");
            w.WriteString("message", m.Message);
        })
        : Write("task_failed", w =>
        {
            Ids(w, m.TaskId, m.Avid);
            w.WriteString("status", "failed");
            w.WriteString("message", m.Message);
            // Both, always: the UI shows message, scripts read error (the cause) and may find it null.
            if (m.Error is null) w.WriteNull("error");
            else w.WriteString("error", m.Error);
        });

    private static void Ids(Utf8JsonWriter w, string taskId, string avid)
    {
        w.WriteString("task_id", taskId);
        w.WriteString("avid", avid);
    }

    private static byte[] Write(string type, Action<Utf8JsonWriter> data)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            w.WriteStartObject();
            w.WriteString("type", type);
            w.WriteStartObject("data");
            data(w);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
