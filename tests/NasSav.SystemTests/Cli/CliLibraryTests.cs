using System.Text.Json;

namespace NasSav.SystemTests.Cli;

/// <summary>The real <c>nassav</c> process against a real standalone host and the demo site: the library commands.</summary>
[Collection(DistributedCollection.Name)]
public sealed class CliLibraryTests(CliHost host) : IClassFixture<CliHost>
{
    [Fact]
    public Task Add_shows_each_avid_as_it_settles_and_exits_1_when_one_failed_then_0_when_all_exist() => host.CheckAsync(async () =>
    {
        var first = await host.RunAsync("add", "DEMO-011", "DEMO-012", "DEMO-404");
        Assert.True(first.ExitCode == 1, first.ToString());
        Assert.Contains("DEMO-011  added  DEMO-011 ", first.Out);
        Assert.Contains("DEMO-012  added  DEMO-012 ", first.Out);
        Assert.Contains("DEMO-404  failed  获取DEMO-404失败", first.Out);
        Assert.Contains("2 added, 0 already there, 1 failed, 0 timed out", first.Out);
        Assert.DoesNotContain("\u001b[", first.Out); // not a terminal: plain lines, no escape codes

        var again = await host.RunAsync("add", "demo-011", "--json");
        Assert.True(again.ExitCode == 0, again.ToString());
        var line = JsonDocument.Parse(again.Out.Trim()).RootElement;
        Assert.Equal(("DEMO-011", "exists", 409), (line.GetProperty("avid").GetString(), line.GetProperty("status").GetString(), line.GetProperty("code").GetInt32()));
    });

    [Fact]
    public Task Add_reads_avids_from_stdin_with_comments_and_duplicates() => host.CheckAsync(async () =>
    {
        await using var cli = CliProcess.Start(host.Work, host.Env, "DEMO-013\n# a comment\nDEMO-014, demo-013\n", "add", "-");
        var result = await cli.WaitAsync(CliHost.Patience);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("2 added, 0 already there, 0 failed", result.Out);
    });

    [Fact]
    public Task List_and_show_print_a_table_or_json_and_an_unknown_avid_exits_1() => host.CheckAsync(async () =>
    {
        Assert.Equal(0, (await host.RunAsync("add", "DEMO-015", "DEMO-016")).ExitCode);

        var table = await host.RunAsync("list", "--search", "DEMO-01", "--sort", "avid", "--order", "asc");
        Assert.True(table.ExitCode == 0, table.ToString());
        var lines = table.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("AVID ", lines[0]);
        Assert.Contains("TITLE", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("DEMO-015  DEMO-015 ", StringComparison.Ordinal));
        Assert.Matches(@"page 1/1, \d+ titles", lines[^1]);

        var json = await host.RunAsync("list", "--search", "DEMO-016", "--json");
        var doc = JsonDocument.Parse(json.Out).RootElement;
        Assert.Equal(["DEMO-016"], doc.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("avid").GetString()));
        Assert.Equal(1, doc.GetProperty("pagination").GetProperty("total").GetInt32());

        var show = await host.RunAsync("show", "demo-015");
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Matches(@"(?m)^avid:\s+DEMO-015$", show.Out);
        Assert.Matches(@"(?m)^studio:\s+\S+", show.Out);
        Assert.Matches(@"(?m)^video:\s+no$", show.Out);
        var showJson = JsonDocument.Parse((await host.RunAsync("show", "DEMO-015", "--json")).Out).RootElement;
        Assert.Equal("DEMO-015", showJson.GetProperty("avid").GetString());

        var missing = await host.RunAsync("show", "DEMO-059");
        Assert.True(missing.ExitCode == 1, missing.ToString());
        Assert.Contains("HTTP 404", missing.Err);
    });

    [Fact]
    public Task Refresh_and_delete_act_and_delete_refuses_without_yes_when_not_a_terminal() => host.CheckAsync(async () =>
    {
        Assert.Equal(0, (await host.RunAsync("add", "DEMO-017")).ExitCode);
        var refresh = await host.RunAsync("refresh", "DEMO-017", "--metadata");
        Assert.True(refresh.ExitCode == 0, refresh.ToString());
        Assert.Contains("DEMO-017  refreshed: metadata", refresh.Out);

        var refused = await host.RunAsync("delete", "DEMO-017");
        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Contains("Refusing without --yes", refused.Err);
        Assert.NotNull(await host.MetadataAsync("DEMO-017"));

        var deleted = await host.RunAsync("delete", "DEMO-017", "--yes");
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        Assert.Contains("DEMO-017  deleted (", deleted.Out);
        Assert.Null(await host.MetadataAsync("DEMO-017"));

        var gone = await host.RunAsync("delete", "DEMO-017", "--yes");
        Assert.True(gone.ExitCode == 1, gone.ToString());
        Assert.Contains("HTTP 404", gone.Out);
    });

    [Fact]
    public Task Bad_usage_and_an_unreachable_host_exit_2_with_a_message() => host.CheckAsync(async () =>
    {
        var none = await host.RunAsync("add");
        Assert.True(none.ExitCode == 2, none.ToString());
        Assert.Contains("no AVID given", none.Err);

        var unknown = await host.RunAsync("frobnicate");
        Assert.True(unknown.ExitCode == 2, unknown.ToString());

        var port = HostProcess.FreePort();
        var unreachable = await host.RunAsync("list", "--url", $"http://127.0.0.1:{port}");
        Assert.True(unreachable.ExitCode == 2, unreachable.ToString());
        Assert.Contains($"cannot reach http://127.0.0.1:{port}/", unreachable.Err);
        Assert.DoesNotContain("   at ", unreachable.Err); // a message, not a stack trace
    });
}
