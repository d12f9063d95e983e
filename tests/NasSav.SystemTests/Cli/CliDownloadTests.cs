using System.Text.Json;
using NasSav.Testing;

namespace NasSav.SystemTests.Cli;

/// <summary><c>nassav download</c>, <c>queue</c>, <c>cancel</c> against the host: live progress, exit codes, and a viewer quit with Ctrl-C.</summary>
[Collection(DistributedCollection.Name)]
public sealed class CliDownloadTests(CliHost host) : IClassFixture<CliHost>
{
    [Fact]
    public Task Download_follows_a_title_from_queued_through_its_progress_to_completed_and_exits_0() => host.CheckAsync(async () =>
    {
        Assert.Equal(0, (await host.RunAsync("add", "DEMO-021")).ExitCode);
        var result = await host.RunAsync("download", "DEMO-021");
        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        int At(string prefix) => lines.FindIndex(l => l.StartsWith(prefix, StringComparison.Ordinal));
        Assert.True(At("DEMO-021  queued") >= 0 && At("DEMO-021  queued") < At("DEMO-021  download") && At("DEMO-021  download") < At("DEMO-021  completed"), result.Out);
        Assert.Contains(lines, l => l.StartsWith("DEMO-021  download  ", StringComparison.Ordinal) && l.Contains("B/s", StringComparison.Ordinal));
        Assert.Contains("1 downloaded, 0 failed", result.Out);
        Assert.True(File.Exists(host.VideoPath("DEMO-021")));

        var again = await host.RunAsync("download", "DEMO-021", "--json");
        Assert.True(again.ExitCode == 0, again.ToString());
        var ev = JsonDocument.Parse(again.Out.Trim()).RootElement;
        Assert.Equal(("completed", "already downloaded"), (ev.GetProperty("event").GetString(), ev.GetProperty("message").GetString()));

        var queue = await host.RunAsync("queue", "--once");
        Assert.True(queue.ExitCode == 0, queue.ToString());
        Assert.Contains("the queue is empty", queue.Out);
        Assert.Equal(0, JsonDocument.Parse((await host.RunAsync("queue", "--json")).Out).RootElement.GetProperty("total_count").GetInt32());
    });

    [Fact]
    public Task Download_of_a_title_not_in_the_library_and_cancel_without_a_download_exit_1() => host.CheckAsync(async () =>
    {
        var result = await host.RunAsync("download", "DEMO-058");
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("DEMO-058  failed  HTTP 404", result.Out);

        var cancel = await host.RunAsync("cancel", "DEMO-058");
        Assert.True(cancel.ExitCode == 1, cancel.ToString());
        Assert.Contains("HTTP 404", cancel.Out);
    });

    [Fact]
    public Task Quitting_the_viewer_with_ctrl_c_exits_130_and_the_download_goes_on_in_the_host() => host.CheckAsync(async () =>
    {
        Assert.Equal(0, (await host.RunAsync("add", "DEMO-022")).ExitCode);
        await using var cli = host.Start("download", "DEMO-022");
        await Wait.UntilAsync(() => Task.FromResult(cli.Out.Contains("DEMO-022  download", StringComparison.Ordinal)), CliHost.Patience, "the download to start");
        cli.Terminate();
        var result = await cli.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 130, result.ToString());
        Assert.DoesNotContain("DEMO-022  completed", result.Out); // it was interrupted mid-download
        Assert.Contains("still downloading in the host: DEMO-022", result.Err);

        await Wait.UntilAsync(async () => (await host.MetadataAsync("DEMO-022"))?.GetProperty("file_exists").GetBoolean() == true,
            CliHost.Patience, "the host to finish the download");
        Assert.True(File.Exists(host.VideoPath("DEMO-022")));
    });
}
