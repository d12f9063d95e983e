using Microsoft.Extensions.Options;
using NasSav.Downloader.Downloads;

namespace NasSav.Downloader.Worker.Tests;

public sealed class OptionsTests
{
    [Theory]
    [InlineData("Downloader:Monitoring:CancelAfterMinutes", "1", "Downloader:Monitoring:CancelAfterMinutes 1 must not be less than WarnAfterMinutes 180")]
    [InlineData("Downloader:HeartbeatTtlSeconds", "0.3", "Downloader:HeartbeatTtlSeconds 0.3 must be at least twice HeartbeatIntervalSeconds (1)")]
    [InlineData("Downloader:InstanceName", "a:b", "Downloader:InstanceName 'a:b' must not contain ':'")]
    [InlineData("Downloader:Monitoring:ApiKeys:0", "short", "Downloader:Monitoring:ApiKeys:0: a key must be at least 16 characters")]
    public async Task A_bad_setting_stops_the_start_with_the_key_named(string key, string value, string expected)
    {
        var error = await Assert.ThrowsAnyAsync<OptionsValidationException>(async () => await (await WorkerHost.StartAsync((key, value))).DisposeAsync());
        Assert.Contains(expected, error.Message);
    }
}

public sealed class ProgressFormatTests
{
    [Theory]
    [InlineData(0, "0.0 B/s")]
    [InlineData(512, "512.0 B/s")]
    [InlineData(3.2 * 1024 * 1024, "3.2 MB/s")]
    [InlineData(1536, "1.5 KB/s")]
    [InlineData(2.5 * 1024 * 1024 * 1024, "2.5 GB/s")]
    public void Speed_reads_like_the_peer(double bytesPerSecond, string expected) => Assert.Equal(expected, ProgressFormat.Speed(bytesPerSecond));

    [Theory]
    [InlineData(65.0, "00:01:05")]
    [InlineData(0.2, "00:00:01")]
    [InlineData(3600 * 25 + 1, "25:00:01")]
    public void Eta_is_hours_minutes_seconds(double seconds, string expected) => Assert.Equal(expected, ProgressFormat.Eta(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void An_unknown_eta_is_empty() => Assert.Equal("", ProgressFormat.Eta(null));
}
