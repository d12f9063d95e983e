using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using NasSav.Contracts.Scraping;
using NasSav.Scraper.MetadataSites;
using NasSav.Scraper.Sources;
using NasSav.Media.Avids;
using NasSav.ServiceDefaults.Bus;

namespace NasSav.Scraper.Tests;

/// <summary>The consumers on MassTransit's test harness, with the module's own bus contribution, against the local server.</summary>
public sealed class ConsumerTests : IAsyncLifetime
{
    private TestSite _site = null!;

    public async Task InitializeAsync() => _site = await TestSite.StartAsync();
    public async Task DisposeAsync() => await _site.DisposeAsync();

    private Scraping Start(params (string, string?)[] extra) => new(Scraping.Config(
    [
        ("Sources:0:Name", "Demo"), ("Sources:0:Weight", "1000"), ("Sources:0:Domain", _site.Domain), ("Sources:0:Scheme", "http"),
        ("Sources:0:PageUrls:0", "{scheme}://{domain}/v/{avid_lower}"),
        ("Sources:0:M3u8:Regex", "var hlsUrl = '(?<value>[^']+)'"),
        ("Sources:0:Cover:Selector", "meta[property='og:image']"), ("Sources:0:Cover:Attribute", "content"),
        ("MetadataSites:0:Name", "DemoBus"), ("MetadataSites:0:Domain", _site.Domain), ("MetadataSites:0:Scheme", "http"),
        ("MetadataSites:0:PageUrl", "{scheme}://{domain}/bus/{avid}"), ("MetadataSites:0:Profile", "javbus"),
        .. extra,
    ]), services =>
    {
        var contributions = services.Where(d => d.ServiceType == typeof(BusContribution)).Select(d => (BusContribution)d.ImplementationInstance!).ToList();
        services.AddMassTransitTestHarness(x =>
        {
            foreach (var contribution in contributions) contribution.Configure(x);
        });
    });

    private static string Page(string avid) =>
        $"<html><head><meta property='og:image' content='/img/{avid}.jpg'></head><body><script>var hlsUrl = '/hls/{avid}.m3u8';</script></body></html>";

    [Fact]
    public async Task FetchSource_is_answered_with_SourceResolved_and_SourceNotResolved()
    {
        _site.Html("/v/abc-123", Page("abc-123"));
        using var scraping = Start();
        var harness = scraping.Services.GetRequiredService<ITestHarness>();
        await harness.Start();
        try
        {
            var found = Avid.Parse("ABC-123");
            var missing = Avid.Parse("ZZZ-404");
            await harness.Bus.Publish(new FetchSource { CorrelationId = found.CorrelationId, Avid = "abc-123" });
            await harness.Bus.Publish(new FetchSource { CorrelationId = missing.CorrelationId, Avid = missing.Value });

            var resolved = harness.Published.Select<SourceResolved>().Single().Context.Message;
            Assert.Equal(found.CorrelationId, resolved.CorrelationId);
            Assert.Equal("ABC-123", resolved.Avid);
            Assert.Equal(_site.Url("/hls/abc-123.m3u8"), resolved.M3u8);
            Assert.Equal(_site.Url("/img/abc-123.jpg"), resolved.CoverUrl);

            var notResolved = harness.Published.Select<SourceNotResolved>().Single().Context.Message;
            Assert.Equal(missing.CorrelationId, notResolved.CorrelationId);
            Assert.Equal(404, notResolved.Code);
            Assert.Equal("获取ZZZ-404失败。Demo:404", notResolved.Message);
            Assert.False(await harness.Published.Any<Fault<FetchSource>>());
        }
        finally { await harness.Stop(); }
    }

    [Fact]
    public async Task ScrapeMetadata_is_answered_with_MetadataScraped_or_MetadataNotFound()
    {
        _site.Html("/bus/ABC-123", SourceParserTests.Saved("javbus-ABC-123.html"));
        _site.Bytes("/pics/cover/abc_b.jpg", TestImages.Jpeg(), "image/jpeg");
        using var scraping = Start();
        var harness = scraping.Services.GetRequiredService<ITestHarness>();
        await harness.Start();
        try
        {
            var abc = Avid.Parse("ABC-123");
            await harness.Bus.Publish(new ScrapeMetadata { CorrelationId = abc.CorrelationId, Avid = abc.Value });
            await harness.Bus.Publish(new ScrapeMetadata { CorrelationId = Guid.NewGuid(), Avid = "ZZZ-404" });

            var scraped = harness.Published.Select<MetadataScraped>().Single().Context.Message;
            Assert.Equal("DemoBus", scraped.Site);
            Assert.Equal("雨夜的约定 全集", scraped.Title);
            Assert.True(scraped.CoverSaved);
            Assert.NotNull(await scraping.Store.GetInfoAsync(Media.Storage.MediaKey.Cover(abc)));

            var notFound = harness.Published.Select<MetadataNotFound>().Single().Context.Message;
            Assert.Equal("ZZZ-404", notFound.Avid);
            Assert.False(notFound.CoverSaved);
            Assert.Equal(SourceAttempt.NotFound, Assert.Single(notFound.Attempts).Outcome);
        }
        finally { await harness.Stop(); }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Concurrent_message_limit_comes_from_configuration(int limit)
    {
        var current = 0;
        var max = 0;
        // Every page is held until as many are in at once as the limit allows (a consumer below its limit never gets
        // there and the test fails), then a moment longer, in which a consumer over its limit lets one more in. That
        // moment can only catch an excess: load never makes a right limit look wrong.
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        foreach (var avid in new[] { "a-1", "a-2", "a-3" })
        {
            _site.Map($"/v/{avid}", async c =>
            {
                var now = Interlocked.Increment(ref current);
                InterlockedMax(ref max, now);
                if (now >= limit) reached.TrySetResult();
                try
                {
                    await reached.Task.WaitAsync(c.RequestAborted);
                    await Task.Delay(TimeSpan.FromMilliseconds(200), c.RequestAborted);
                }
                catch (OperationCanceledException) { }
                Interlocked.Decrement(ref current);
                c.Response.StatusCode = 404;
            });
        }
        using var scraping = Start(("Scraper:ConcurrentMessageLimit", limit.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Scraper:Retries", "0"));
        var harness = scraping.Services.GetRequiredService<ITestHarness>();
        await harness.Start();
        try
        {
            foreach (var avid in new[] { "A-1", "A-2", "A-3" })
                await harness.Bus.Publish(new FetchSource { CorrelationId = Avid.Parse(avid).CorrelationId, Avid = avid });
            await NasSav.Testing.Wait.UntilAsync(() => harness.Published.Select<SourceNotResolved>().Count() == 3, TimeSpan.FromSeconds(60), "three answers");
            Assert.True(limit == max, $"max {max}: " + string.Join(", ", _site.Requests.Select(r => r.Path)));
        }
        finally { await harness.Stop(); }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }
}
