using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using NasSav.Catalog.Queue;
using NasSav.Catalog.Tests.Support;
using NasSav.Contracts.Queue;

namespace NasSav.Catalog.Tests.Queue;

public sealed class QueueStatusTests
{
    [Theory, BothDatabases]
    public async Task Rest_answers_the_empty_queue_in_the_reference_shape(DbKind kind)
    {
        await using var app = await CatalogApp.StartAsync(kind);
        var answer = (await app.CreateClient().ApiGetAsync("/tasks/queue/status")).Is(200);
        Assert.Equal("""{"active_tasks":[],"pending_tasks":[],"active_count":0,"pending_count":0,"total_count":0}""", answer.Data.GetRawText());
    }

    [Fact]
    public async Task The_bus_consumer_answers_GetQueueStatus()
    {
        await using var app = await CatalogApp.StartAsync(DbKind.Sqlite);
        await using var scope = app.Services.CreateAsyncScope();
        var client = scope.ServiceProvider.GetRequiredService<IRequestClient<GetQueueStatus>>();
        var response = await client.GetResponse<QueueStatus>(new GetQueueStatus(), timeout: RequestTimeout.After(s: 30));
        Assert.Empty(response.Message.ActiveTasks);
        Assert.Empty(response.Message.PendingTasks);
    }

    [Fact]
    public void Tasks_map_to_the_reference_fields_sorted_by_creation()
    {
        var t0 = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_500);
        var status = new QueueStatus
        {
            ActiveTasks =
            [
                new QueuedTask
                {
                    TaskId = "t1", Avid = "ABC-1", State = "STARTED", TaskType = "download", CreatedAt = t0, UpdatedAt = t0.AddSeconds(1),
                    Progress = new TaskProgress { Percent = 12.5, Speed = "3.2 MB/s", UpdatedAt = t0.AddSeconds(2) },
                },
            ],
            PendingTasks =
            [
                new QueuedTask { TaskId = "t3", Avid = "ABC-3", State = "PENDING", TaskType = "mock", CreatedAt = t0.AddSeconds(5) },
                new QueuedTask { TaskId = "t2", Avid = "ABC-2", State = "PENDING", TaskType = "download", CreatedAt = t0.AddSeconds(3), Title = "标题" },
            ],
        };
        var json = System.Text.Json.JsonSerializer.Serialize(QueueStatusJson.ToJson(status), NasSav.ServiceDefaults.Http.ApiResults.Json);
        Assert.Equal(
            """{"active_tasks":[{"task_id":"t1","avid":"ABC-1","state":"STARTED","task_type":"download","created_at":1700000000.5,"updated_at":1700000001.5,"progress":{"percent":12.5,"speed":"3.2 MB/s","eta":"","updated_at":1700000002.5}}],"pending_tasks":[{"task_id":"t2","avid":"ABC-2","state":"PENDING","task_type":"download","created_at":1700000003.5,"title":"标题"},{"task_id":"t3","avid":"ABC-3","state":"PENDING","task_type":"mock","created_at":1700000005.5}],"active_count":1,"pending_count":2,"total_count":3}""",
            json);
    }
}
