using NasSav.Catalog.Http;
using NasSav.Contracts.Queue;

namespace NasSav.Catalog.Queue;

/// <summary>
/// The one mapping of <see cref="QueueStatus"/> to the reference's JSON (REST /tasks/queue/status and the
/// WebSocket "queue_status" frame): {active_tasks, pending_tasks, active_count, pending_count, total_count},
/// each task {task_id, avid, state, task_type, created_at, updated_at?, title?, progress?{percent, speed,
/// eta, updated_at}} with times as epoch seconds. The gateway cannot reference catalog and mirrors this.
/// </summary>
public static class QueueStatusJson
{
    public static Dictionary<string, object> ToJson(QueueStatus status) => new()
    {
        ["active_tasks"] = status.ActiveTasks.OrderBy(t => t.CreatedAt).Select(Task).ToList(),
        ["pending_tasks"] = status.PendingTasks.OrderBy(t => t.CreatedAt).Select(Task).ToList(),
        ["active_count"] = status.ActiveTasks.Count,
        ["pending_count"] = status.PendingTasks.Count,
        ["total_count"] = status.ActiveTasks.Count + status.PendingTasks.Count,
    };

    public static Dictionary<string, object?> Task(QueuedTask task)
    {
        var json = new Dictionary<string, object?>
        {
            ["task_id"] = task.TaskId,
            ["avid"] = task.Avid,
            ["state"] = task.State,
            ["task_type"] = task.TaskType,
            ["created_at"] = Seconds(task.CreatedAt),
        };
        // Optional keys are left out rather than null, as in the peer's hash entries.
        if (task.UpdatedAt is { } updated) json["updated_at"] = Seconds(updated);
        if (task.Title is { } title) json["title"] = title;
        if (task.Progress is { } p)
            json["progress"] = new Dictionary<string, object?>
            {
                ["percent"] = p.Percent,
                ["speed"] = p.Speed,
                ["eta"] = p.Eta,
                ["updated_at"] = Seconds(p.UpdatedAt),
            };
        return json;
    }

    private static double Seconds(DateTimeOffset t) => Times.EpochSeconds(t.UtcDateTime)!.Value;
}
