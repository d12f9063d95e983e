using System.Security.Cryptography;
using NasSav.SystemTests.Downloads;
using NasSav.Testing;

namespace NasSav.SystemTests.Cli;

/// <summary>
/// <c>nassav get</c>, the HLS engine without a host, on the demo site's streams (plain, AES-128, master playlist): the
/// MP4 is byte for byte the one the host's downloader made of the same stream; an interrupted get resumes; headers
/// reach every request; failures exit with the documented codes.
/// </summary>
[Collection(DistributedCollection.Name)]
public sealed class CliGetTests(CliHost host) : IClassFixture<CliHost>
{
    private static string Sha(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    [Theory]
    [InlineData("DEMO-031")] // plain
    [InlineData("DEMO-033")] // AES-128
    [InlineData("DEMO-035")] // master playlist
    public Task Get_writes_the_same_mp4_as_the_hosts_downloader(string avid) => host.CheckAsync(async () =>
    {
        Assert.Equal(0, (await host.RunAsync("add", avid)).ExitCode);
        var download = await host.RunAsync("download", avid);
        Assert.True(download.ExitCode == 0, download.ToString());

        var output = Path.Combine(host.Work, $"{avid}-get.mp4");
        var get = await host.RunAsync("get", $"{host.SiteUrl}/hls/{avid}/playlist.m3u8", "-o", output);
        Assert.True(get.ExitCode == 0, get.ToString());
        Assert.Contains($"saved {output}: ", get.Out);
        Assert.Contains("4 segments, native remux", get.Out);
        Assert.Contains($"{Path.GetFileName(output)}  download  100.0%", get.Out);
        Assert.Equal(Sha(host.VideoPath(avid)), Sha(output));
        Assert.False(Directory.Exists(output + ".parts"), "the parts folder goes after success");
    });

    [Fact]
    public Task An_interrupted_get_keeps_its_segments_and_the_same_command_resumes_from_them() => host.CheckAsync(async () =>
    {
        var url = $"{host.SiteUrl}/hls/DEMO-037/playlist.m3u8";
        var output = Path.Combine(host.Work, "resume.mp4");
        var parts = output + ".parts";
        await using (var cli = host.Start("get", url, "-o", output, "--parallel", "1"))
        {
            await Wait.UntilAsync(() => Task.FromResult(Directory.Exists(parts) && Directory.GetFiles(parts, "*.seg").Length >= 1),
                CliHost.Patience, "a first segment on disk");
            cli.Terminate();
            var stopped = await cli.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(stopped.ExitCode == 130, stopped.ToString());
            Assert.Contains("interrupted; ", stopped.Err);
            Assert.Contains($"segment(s) kept in {parts}: the same command resumes", stopped.Err);
        }
        Assert.False(File.Exists(output));
        var kept = Directory.GetFiles(parts, "*.seg").Length;
        Assert.InRange(kept, 1, 3);

        var resumed = await host.RunAsync("get", url, "-o", output, "--parallel", "1");
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains($"resuming: {kept} of 4 segments already on disk", resumed.Err);

        var fresh = Path.Combine(host.Work, "fresh.mp4");
        Assert.Equal(0, (await host.RunAsync("get", url, "-o", fresh)).ExitCode);
        Assert.Equal(Sha(fresh), Sha(output));
    });

    [Fact]
    public Task Headers_given_with_H_reach_the_playlist_and_every_segment() => host.CheckAsync(async () =>
    {
        await using var server = await CountingHlsServer.StartAsync(4);
        var output = Path.Combine(host.Work, "headers.mp4");
        var get = await host.RunAsync("get", server.Playlist("h"), "-o", output, "-H", "Referer: http://source.example/v/abc-123", "-H", "X-Nassav-Test: 42");
        Assert.True(get.ExitCode == 0, get.ToString());
        // Every request the server saw (each has a Host header): the playlist and each segment, all with both headers.
        var requests = server.Headers.Count(h => h.StartsWith("Host: ", StringComparison.Ordinal));
        Assert.True(requests >= server.SegmentCount + 1, string.Join("\n", server.Headers));
        Assert.Equal(requests, server.Headers.Count(h => h == "Referer: http://source.example/v/abc-123"));
        Assert.Equal(requests, server.Headers.Count(h => h == "X-Nassav-Test: 42"));
    });

    [Fact]
    public Task Failures_exit_with_the_documented_codes_and_leave_nothing_behind() => host.CheckAsync(async () =>
    {
        var output = Path.Combine(host.Work, "fail.mp4");

        var missing = await host.RunAsync("get", $"{host.SiteUrl}/hls/NOPE-404/playlist.m3u8", "-o", output, "--attempts", "1");
        Assert.True(missing.ExitCode == 1, missing.ToString());
        Assert.Contains("HTTP 404", missing.Err);

        var notHls = await host.RunAsync("get", $"{host.SiteUrl}/health", "-o", output);
        Assert.True(notHls.ExitCode == 4, notHls.ToString());
        Assert.Contains("is not an HLS playlist", notHls.Err);

        var badUrl = await host.RunAsync("get", "ftp://example/x.m3u8", "-o", output);
        Assert.True(badUrl.ExitCode == 2, badUrl.ToString());
        var badHeader = await host.RunAsync("get", $"{host.SiteUrl}/hls/DEMO-031/playlist.m3u8", "-o", output, "-H", "no colon here");
        Assert.True(badHeader.ExitCode == 2, badHeader.ToString());
        Assert.Contains("is not \"Name: value\"", badHeader.Err);

        Assert.False(File.Exists(output));
        Assert.False(Directory.Exists(output + ".parts"), "nothing fetched, no parts folder");

        await File.WriteAllTextAsync(output, "mine");
        var exists = await host.RunAsync("get", $"{host.SiteUrl}/hls/DEMO-031/playlist.m3u8", "-o", output);
        Assert.True(exists.ExitCode == 2, exists.ToString());
        Assert.Contains("exists (--force overwrites it)", exists.Err);
        Assert.Equal("mine", await File.ReadAllTextAsync(output));
    });
}
