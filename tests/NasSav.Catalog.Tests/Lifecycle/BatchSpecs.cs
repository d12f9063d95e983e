using Microsoft.EntityFrameworkCore;
using NasSav.Catalog.Tests.Support;

namespace NasSav.Catalog.Tests.Lifecycle;

public sealed class When_a_batch_adds_and_refreshes
{
    [Theory, BothDatabases]
    public async Task Should_answer_one_result_per_action_in_order_with_bounded_concurrency(DbKind kind)
    {
        await using var t = await LifecycleApp.StartAsync(kind, new Dictionary<string, string?> { ["Lifecycle:BatchConcurrency"] = "2" });
        await t.App.ResourceAsync("BAT-100", r => r.Source = "Jable");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        foreach (var avid in new[] { "BAT-101", "BAT-102", "BAT-103", "BAT-104" })
            t.Script.Sources[avid] = new SourcePlan.Resolve { Gate = gate };
        t.Script.Sources["BAT-105"] = new SourcePlan.NotResolved(404, "获取BAT-105失败。MissAV:404");

        var batch = t.Client.SendAsync(HttpMethod.Post, "/resources/batch", """
            {"actions":[
              {"action":"add","avid":"BAT-101"},
              {"action":"add","avid":"bat-100"},
              {"action":"add","avid":"BAT-102"},
              {"action":"add","avid":"BAT-103"},
              {"action":"add","avid":"BAT-105"},
              {"action":"refresh","avid":"BAT-101","refresh_m3u8":true,"refresh_metadata":false},
              {"action":"add","avid":"BAT-104"},
              {"action":"add"},
              {"action":"refresh","avid":"NOPE-1"}
            ]}
            """);
        // Two at a time: the third source lookup cannot start while the first two are held.
        await t.WaitAsync(() => t.Script.Fetches.Count >= 2, "two source lookups");
        Assert.False(batch.IsCompleted);
        gate.SetResult();
        var answer = (await batch).Is(200);

        var results = answer.Data.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal([201, 200, 201, 201, 404, 200, 201, 400, 404], results.Select(r => r.GetProperty("code").GetInt32()));
        Assert.Equal(["BAT-101", "BAT-100", "BAT-102", "BAT-103", "BAT-105", "BAT-101", "BAT-104", null, "NOPE-1"],
            results.Select(r => r.GetProperty("avid").GetString()));
        Assert.Equal("created", results[0].GetProperty("message").GetString());
        Assert.Equal("pending", results[0].GetProperty("resource").GetProperty("translation_status").GetString()); // shape B
        Assert.Equal("BAT-101.jpg", results[0].GetProperty("resource").GetProperty("cover_filename").GetString());
        Assert.Equal("already exists", results[1].GetProperty("message").GetString());
        Assert.Equal("BAT-100", results[1].GetProperty("resource").GetProperty("avid").GetString());
        Assert.Equal("获取BAT-105失败。MissAV:404", results[4].GetProperty("message").GetString());
        // The refresh of BAT-101 ran after its add (same AVID, in order).
        Assert.Equal("refreshed", results[5].GetProperty("message").GetString());
        Assert.True(results[5].GetProperty("m3u8_refreshed").GetBoolean());
        Assert.True(results[5].TryGetProperty("cover_saved", out _));

        Assert.Equal(2, t.Script.MaxConcurrentFetches);
        Assert.Equal(4, await t.App.WithDbAsync(db => db.Resources.CountAsync(r => r.Avid.StartsWith("BAT-10") && r.Avid != "BAT-100")));
    }
}
