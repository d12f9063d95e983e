using System.Text.Json;
using System.Xml.Linq;
using NasSav.Testing;

namespace NasSav.SystemTests.Cli;

/// <summary>
/// <c>nassav jobs</c>, <c>lock</c>, <c>import status</c>, <c>retranslate</c> against the host, and the media-server
/// export kept current through the whole lifecycle driven by the CLI: download, refresh, video deleted.
/// </summary>
[Collection(DistributedCollection.Name)]
public sealed class CliMaintenanceTests(CliHost host) : IClassFixture<CliHost>
{
    [Fact]
    public Task Jobs_lists_and_runs_a_job_to_its_end_and_an_unknown_job_exits_2() => host.CheckAsync(async () =>
    {
        var list = await host.RunAsync("jobs");
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains("check-all", list.Out);
        Assert.Contains("export-library", list.Out);

        var run = await host.RunAsync("jobs", "run", "check-all", "--dry-run", "--watch");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches(@"started check-all run \d+ \(dry run\)", run.Out);
        Assert.Matches(@"check-all run \d+ succeeded: ", run.Out);

        var unknown = await host.RunAsync("jobs", "run", "nope");
        Assert.True(unknown.ExitCode == 2, unknown.ToString());
        Assert.Contains("HTTP 404", unknown.Err);
    });

    [Fact]
    public Task Lock_shows_the_lease_and_release_needs_yes_without_a_terminal() => host.CheckAsync(async () =>
    {
        var show = await host.RunAsync("lock");
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Matches(@"(?m)^state:\s+free$", show.Out);
        Assert.Equal("free", JsonDocument.Parse((await host.RunAsync("lock", "--json")).Out).RootElement.GetProperty("state").GetString());

        var refused = await host.RunAsync("lock", "--release");
        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Contains("Refusing without --yes", refused.Err);
        var released = await host.RunAsync("lock", "--release", "--yes");
        Assert.True(released.ExitCode == 0, released.ToString());
        Assert.Contains("the lock was free", released.Out);
    });

    [Fact]
    public Task Import_status_and_a_retranslate_dry_run_answer() => host.CheckAsync(async () =>
    {
        var import = await host.RunAsync("import", "status", "--json");
        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.False(JsonDocument.Parse(import.Out).RootElement.GetProperty("enabled").GetBoolean());
        Assert.Matches(@"(?m)^enabled:\s+no$", (await host.RunAsync("import", "status")).Out);

        var dry = await host.RunAsync("retranslate", "--dry-run");
        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Contains("dry run: ", dry.Out);
    });

    [Fact]
    public Task The_export_follows_a_title_through_download_refresh_and_video_deletion() => host.CheckAsync(async () =>
    {
        Assert.Equal(0, (await host.RunAsync("add", "DEMO-041")).ExitCode);
        Assert.Equal(0, (await host.RunAsync("download", "DEMO-041")).ExitCode);

        // Downloaded: the folder appears with everything in it.
        string folder = "";
        await Wait.UntilAsync(() =>
        {
            folder = Directory.Exists(host.ExportFolder) ? Directory.GetDirectories(host.ExportFolder, "DEMO-041 *").FirstOrDefault() ?? "" : "";
            return Task.FromResult(folder.Length > 0 && File.Exists(Path.Combine(folder, Path.GetFileName(folder) + ".mp4")) && File.Exists(Path.Combine(folder, "fanart.jpg")));
        }, CliHost.Patience, "the export folder of DEMO-041");
        var nfo = XDocument.Load(Path.Combine(folder, "movie.nfo")).Root!;
        var metadata = (await host.MetadataAsync("DEMO-041"))!.Value;
        Assert.Equal(metadata.GetProperty("original_title").GetString(), nfo.Element("originaltitle")?.Value);
        Assert.Equal("DEMO-041", nfo.Elements("uniqueid").Single().Value);
        Assert.Equal(metadata.GetProperty("actors").GetArrayLength(), nfo.Elements("actor").Count());
        Assert.Equal(File.ReadAllBytes(host.VideoPath("DEMO-041")), File.ReadAllBytes(Path.Combine(folder, Path.GetFileName(folder) + ".mp4")));
        Assert.Equal("hardlink", JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, ".nassav.json"))).RootElement.GetProperty("video_mode").GetString());

        // A refresh brings the folder back in line: files lost meanwhile are written again.
        File.Delete(Path.Combine(folder, "movie.nfo"));
        File.Delete(Path.Combine(folder, "poster.jpg"));
        var refresh = await host.RunAsync("refresh", "DEMO-041", "--metadata");
        Assert.True(refresh.ExitCode == 0, refresh.ToString());
        await Wait.UntilAsync(() => Task.FromResult(File.Exists(Path.Combine(folder, "movie.nfo")) && File.Exists(Path.Combine(folder, "poster.jpg"))),
            CliHost.Patience, "the refresh to rewrite movie.nfo and poster.jpg");

        // The video deleted from the library: with Include=Downloaded (the default) the title leaves the export.
        var delete = await host.RunAsync("delete", "DEMO-041", "--video-only", "--yes");
        Assert.True(delete.ExitCode == 0, delete.ToString());
        await Wait.UntilAsync(() => Task.FromResult(!Directory.Exists(folder)), CliHost.Patience, "the export folder to go with the video");

        var check = await host.RunAsync("jobs", "run", "export-library", "--dry-run", "--watch");
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Matches(@"export-library run \d+ succeeded: \d+ titles: 0 created, 0 updated, 0 removed, \d+ unchanged, 0 failed \(dry run\)", check.Out);
    });
}
