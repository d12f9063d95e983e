using System.Security.Cryptography;
using NasSav.Downloader.Engine;
using NasSav.Downloader.Tests.Fixtures;
using NasSav.Media.Processes;

namespace NasSav.Downloader.Tests.Engine;

/// <summary>Segments already on disk (this attempt's folder or an earlier attempt's) are reused, never refetched.</summary>
public sealed class ResumeTests
{
    private static string Hash(string file) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));

    private static readonly int[] Kept = [0, 2, 4];

    [Theory]
    [InlineData("plain", ".ts", false)]
    [InlineData("plain", ".ts", true)]
    [InlineData("aes", ".ts", true)]
    public async Task Half_the_segments_on_disk_are_not_requested_and_the_mp4_is_identical_to_a_clean_run(string form, string ext, bool fromEarlierAttempt)
    {
        await using var h = await EngineHarness.StartAsync();
        var clean = await h.DownloadAsync(h.Request($"/{form}/playlist.m3u8", staging: "clean"));

        // An interrupted attempt: its fingerprint and some finished segments, nothing else.
        var earlier = Directory.CreateDirectory(h.Staging(fromEarlierAttempt ? "attempt-1" : "resumed")).FullName;
        File.Copy(Path.Combine(h.Staging("clean"), ResumeIndex.FingerprintFile), Path.Combine(earlier, ResumeIndex.FingerprintFile));
        foreach (var i in Kept) File.Copy(Path.Combine(h.Staging("clean"), $"{i:00000}.seg"), Path.Combine(earlier, $"{i:00000}.seg"));
        File.WriteAllText(Path.Combine(earlier, "00001.seg.part"), "half a segment");
        var before = h.Server.Requests.Count;

        var resumed = await h.DownloadAsync(h.Request($"/{form}/playlist.m3u8", staging: "resumed",
            resumeFrom: fromEarlierAttempt ? [earlier] : null));

        var after = h.Server.Requests.Skip(before).Where(r => r.Path.EndsWith(ext, StringComparison.Ordinal)).Select(r => r.Path).ToList();
        foreach (var i in Kept) Assert.DoesNotContain($"/{form}/seg{i}{ext}", after);
        Assert.Contains($"/{form}/seg1{ext}", after);
        Assert.Contains($"/{form}/seg3{ext}", after);
        Assert.Equal(Hash(clean.Mp4Path), Hash(resumed.Mp4Path));
        if (fromEarlierAttempt)
        {
            // Taken over by hard link, not copied: the file has two names now.
            var links = await ProcessRunner.RunCheckedAsync(new ProcessSpec("stat", ["-c", "%h", Path.Combine(h.Staging("resumed"), "00000.seg")]) { CaptureStdout = true });
            Assert.Equal("2", links.Stdout.Trim());
        }
    }

    [Fact]
    public async Task Segments_of_another_stream_are_not_reused()
    {
        await using var h = await EngineHarness.StartAsync();
        var other = Directory.CreateDirectory(h.Staging("other")).FullName;
        File.WriteAllText(Path.Combine(other, ResumeIndex.FingerprintFile), "another stream");
        File.WriteAllText(Path.Combine(other, "00000.seg"), "not this stream's bytes");
        var staging = Directory.CreateDirectory(h.Staging()).FullName;
        File.WriteAllText(Path.Combine(staging, ResumeIndex.FingerprintFile), "another stream");
        File.WriteAllText(Path.Combine(staging, "00001.seg"), "not this stream's bytes");

        var result = await h.DownloadAsync(h.Request("/plain/playlist.m3u8", resumeFrom: [other]));
        await StreamFormatTests.AssertPlayableAsync(result);
        Assert.Equal(1, h.Server.Gets("/plain/seg0.ts"));
        Assert.Equal(1, h.Server.Gets("/plain/seg1.ts"));
    }
}
