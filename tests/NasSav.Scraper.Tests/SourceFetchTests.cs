using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NasSav.Contracts.Scraping;
using NasSav.Testing;


namespace NasSav.Scraper.Tests;

/// <summary>Sources against a real local HTTP server: classification, order, headers, retries, interval.</summary>
public sealed class SourceFetchTests : IAsyncLifetime
{
    /// <summary>Bounds a hang only.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private TestSite _site = null!;

    public async Task InitializeAsync() => _site = await TestSite.StartAsync();
    public async Task DisposeAsync() => await _site.DisposeAsync();

    private const string Avid = "ABC-123";

    private static string SourcePage(string hls, string title = "ABC-123 Demo title", string cover = "/img/abc-123.jpg") => $"""
        <html><head>
        <meta property="og:title" content="{title}">
        <meta property="og:image" content="{cover}">
        </head><body><script>var hlsUrl = '{hls}';</script></body></html>
        """;

    /// <summary>Beta (weight 500) is configured before Alpha (weight 1000): the weight decides the order.</summary>
    private (string, string?)[] TwoSources(params (string, string?)[] extra)
    {
        var list = new List<(string, string?)>();
        void Source(int i, string name, int weight, params string[] pages)
        {
            list.Add(($"Sources:{i}:Name", name));
            list.Add(($"Sources:{i}:Weight", weight.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            list.Add(($"Sources:{i}:Domain", _site.Domain));
            list.Add(($"Sources:{i}:Scheme", "http"));
            for (var p = 0; p < pages.Length; p++) list.Add(($"Sources:{i}:PageUrls:{p}", pages[p]));
            list.Add(($"Sources:{i}:Referer", "{scheme}://{domain}/search/{avid_lower}"));
            list.Add(($"Sources:{i}:Headers:X-Requested-With", "XMLHttpRequest"));
            list.Add(($"Sources:{i}:M3u8:Regex", "var hlsUrl = ['\"](?<value>[^'\"]+)['\"]"));
            list.Add(($"Sources:{i}:Title:Selector", "meta[property='og:title']"));
            list.Add(($"Sources:{i}:Title:Attribute", "content"));
            list.Add(($"Sources:{i}:Title:Transforms:0", "strip-avid"));
            list.Add(($"Sources:{i}:PageAvid:Selector", "meta[property='og:title']"));
            list.Add(($"Sources:{i}:PageAvid:Attribute", "content"));
            list.Add(($"Sources:{i}:PageAvid:Regex", @"^(?<value>[A-Z]+-\d+)"));
            list.Add(($"Sources:{i}:Cover:Selector", "meta[property='og:image']"));
            list.Add(($"Sources:{i}:Cover:Attribute", "content"));
        }
        Source(0, "Beta", 500, "{scheme}://{domain}/beta/{avid_lower}");
        Source(1, "Alpha", 1000, "{scheme}://{domain}/alpha/{avid_lower}");
        list.AddRange(extra);
        return list.ToArray();
    }

    private static FetchSource Command(string source = "any", IReadOnlyDictionary<string, string>? cookies = null) => new()
    {
        CorrelationId = Media.Avids.Avid.Parse(Avid).CorrelationId,
        Avid = Avid,
        Source = source,
        Cookies = cookies ?? new Dictionary<string, string>(),
    };

    [Fact]
    public async Task First_source_by_weight_answers_with_the_best_variant_and_receives_cookie_referer_and_headers()
    {
        _site.Html("/alpha/abc-123", SourcePage("/streams/abc-123/master.m3u8?token=s3cr3t"));
        _site.Text("/streams/abc-123/master.m3u8", """
            #EXTM3U
            #EXT-X-STREAM-INF:BANDWIDTH=1000000,RESOLUTION=1280x720
            720/index.m3u8?token=s3cr3t
            #EXT-X-STREAM-INF:BANDWIDTH=3000000,RESOLUTION=1920x1080
            1080/index.m3u8?token=s3cr3t
            #EXT-X-STREAM-INF:BANDWIDTH=500000,RESOLUTION=640x360
            360/index.m3u8?token=s3cr3t
            """, "application/vnd.apple.mpegurl");
        using var scraping = new Scraping(Scraping.Config(TwoSources()));

        var result = Assert.IsType<SourceResolved>(await scraping.Resolver.ResolveAsync(
            Command(cookies: new Dictionary<string, string> { ["alpha"] = "cf_clearance=abc; session=1", ["beta"] = "other" }), default));

        Assert.Equal("Alpha", result.Source);
        Assert.Equal(_site.Url("/streams/abc-123/1080/index.m3u8?token=s3cr3t"), result.M3u8);
        Assert.Equal("Demo title", result.SourceTitle);
        Assert.Equal(_site.Url("/img/abc-123.jpg"), result.CoverUrl);
        Assert.Equal(_site.Url("/alpha/abc-123"), result.PageUrl);
        Assert.Equal([SourceAttempt.Ok], result.Attempts.Select(a => a.Outcome));
        Assert.Empty(_site.RequestsTo("/beta/abc-123"));

        var page = Assert.Single(_site.RequestsTo("/alpha/abc-123"));
        Assert.Equal("cf_clearance=abc; session=1", page.Header("Cookie"));
        Assert.Equal(_site.Url("/search/abc-123"), page.Header("Referer"));
        Assert.Equal("XMLHttpRequest", page.Header("X-Requested-With"));
        Assert.Contains("Edg/143", page.Header("User-Agent"));
        Assert.Equal("zh-CN,zh;q=0.9,en;q=0.8", page.Header("Accept-Language"));
        var playlist = Assert.Single(_site.RequestsTo("/streams/abc-123/master.m3u8"));
        Assert.Equal("?token=s3cr3t", playlist.Query);
        Assert.Equal(_site.Url("/alpha/abc-123"), playlist.Header("Referer"));

        // The winning page is kept for debugging.
        var kept = await scraping.Store.OpenReadAsync(Media.Storage.MediaKey.SourcePage(Media.Avids.Avid.Parse(Avid)));
        Assert.NotNull(kept);
        using (var reader = new StreamReader(kept)) Assert.Contains("hlsUrl", await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task Forbidden_first_source_moves_on_to_the_next_by_weight()
    {
        _site.Status("/alpha/abc-123", 403);
        _site.Html("/beta/abc-123", SourcePage("https://cdn.invalid/abc-123.m3u8"));
        using var scraping = new Scraping(Scraping.Config(TwoSources()));

        var result = Assert.IsType<SourceResolved>(await scraping.Resolver.ResolveAsync(Command(), default));

        Assert.Equal("Beta", result.Source);
        // Not verified and not reachable: kept as found.
        Assert.Equal("https://cdn.invalid/abc-123.m3u8", result.M3u8);
        Assert.Equal([("Alpha", SourceAttempt.Forbidden, (int?)403), ("Beta", SourceAttempt.Ok, 200)],
            result.Attempts.Select(a => (a.Source, a.Outcome, a.StatusCode)));
        Assert.Single(_site.RequestsTo("/alpha/abc-123")); // 403 is never retried
        var order = _site.Requests.Select(r => r.Path).ToList();
        Assert.True(order.IndexOf("/alpha/abc-123") < order.IndexOf("/beta/abc-123"));
    }

    [Fact]
    public async Task All_not_found_gives_404_with_the_reference_message_and_no_retry()
    {
        using var scraping = new Scraping(Scraping.Config(TwoSources()));
        var result = Assert.IsType<SourceNotResolved>(await scraping.Resolver.ResolveAsync(Command(), default));
        Assert.Equal(404, result.Code);
        Assert.Equal("获取ABC-123失败。Alpha:404, Beta:404", result.Message);
        Assert.Single(_site.RequestsTo("/alpha/abc-123"));
        Assert.Single(_site.RequestsTo("/beta/abc-123"));
        Assert.Empty(scraping.AllFiles());
    }

    [Fact]
    public async Task Any_forbidden_gives_403_with_the_refused_message()
    {
        _site.Status("/beta/abc-123", 403);
        using var scraping = new Scraping(Scraping.Config(TwoSources()));
        var result = Assert.IsType<SourceNotResolved>(await scraping.Resolver.ResolveAsync(Command(), default));
        Assert.Equal(403, result.Code);
        Assert.Equal("访问ABC-123被拒绝。Alpha:404, Beta:403", result.Message);
    }

    [Fact]
    public async Task Server_error_and_timeout_are_retried_then_give_502_without_crashing_on_the_text()
    {
        // Beta never answers: only the timeout ends each of its attempts. The timeout is long enough for every request to
        // reach the site, and for Alpha's 500s to come back, on a loaded machine.
        _site.Status("/alpha/abc-123", 500);
        _site.Slow("/beta/abc-123", Timeout.InfiniteTimeSpan);
        using var scraping = new Scraping(Scraping.Config(TwoSources(("Scraper:TimeoutSeconds", "5"), ("Scraper:Retries", "2"))));

        var result = Assert.IsType<SourceNotResolved>(await scraping.Resolver.ResolveAsync(Command(), default));

        Assert.Equal(502, result.Code);
        Assert.Equal("获取ABC-123失败。Alpha:500, Beta:timeout", result.Message);
        Assert.Equal(3, _site.RequestsTo("/alpha/abc-123").Count); // 1 + 2 retries
        Assert.Equal(3, _site.RequestsTo("/beta/abc-123").Count);
        Assert.Equal(SourceAttempt.HttpError, result.Attempts[0].Outcome);
        Assert.Equal(SourceAttempt.Timeout, result.Attempts[1].Outcome);
    }

    [Fact]
    public async Task Closed_port_is_a_network_error_and_gives_502()
    {
        using var scraping = new Scraping(Scraping.Config(
            ("Sources:0:Name", "Gone"), ("Sources:0:Weight", "1"), ("Sources:0:Domain", "127.0.0.1:1"), ("Sources:0:Scheme", "http"),
            ("Sources:0:PageUrls:0", "{scheme}://{domain}/{avid}"), ("Sources:0:M3u8:Regex", "x(?<value>y)")));
        var result = Assert.IsType<SourceNotResolved>(await scraping.Resolver.ResolveAsync(Command(), default));
        Assert.Equal(502, result.Code);
        Assert.Equal("获取ABC-123失败。Gone:network_error", result.Message);
    }

    [Fact]
    public async Task Unrelated_html_is_a_parse_failure_and_another_avids_page_the_wrong_page_both_404()
    {
        _site.Html("/alpha/abc-123", "<html><head><title>Welcome</title></head><body>Home page</body></html>");
        _site.Html("/beta/abc-123", SourcePage("/streams/xyz.m3u8", title: "XYZ-999 Another video"));
        using var scraping = new Scraping(Scraping.Config(TwoSources()));

        var result = Assert.IsType<SourceNotResolved>(await scraping.Resolver.ResolveAsync(Command(), default));

        Assert.Equal(404, result.Code);
        Assert.Equal([SourceAttempt.ParseFailed, SourceAttempt.WrongPage], result.Attempts.Select(a => a.Outcome));
        Assert.Equal("获取ABC-123失败。Alpha:parse_failed, Beta:wrong_page", result.Message);
        Assert.Empty(_site.RequestsTo("/streams/xyz.m3u8"));
        Assert.Empty(scraping.AllFiles()); // a wrong page is not kept as the AVID's page
    }

    [Fact]
    public async Task Named_source_is_the_only_one_tried()
    {
        _site.Html("/alpha/abc-123", SourcePage("/s.m3u8"));
        using var scraping = new Scraping(Scraping.Config(TwoSources()));
        var result = Assert.IsType<SourceNotResolved>(await scraping.Resolver.ResolveAsync(Command("BETA"), default));
        Assert.Equal("获取ABC-123失败。Beta:404", result.Message);
        Assert.Empty(_site.RequestsTo("/alpha/abc-123"));

        var unknown = Assert.IsType<SourceNotResolved>(await scraping.Resolver.ResolveAsync(Command("nosuch"), default));
        Assert.Equal(404, unknown.Code);
        Assert.Empty(unknown.Attempts);
    }

    [Fact]
    public async Task Verified_stream_that_does_not_exist_fails_the_source()
    {
        _site.Html("/alpha/abc-123", SourcePage("/streams/abc-123/master.m3u8"));
        using var scraping = new Scraping(Scraping.Config(TwoSources(("Sources:1:VerifyM3u8", "true"))));
        var result = Assert.IsType<SourceNotResolved>(await scraping.Resolver.ResolveAsync(Command("alpha"), default));
        Assert.Equal(404, result.Code);
        Assert.Contains("m3u8", result.Attempts[0].Detail);

        _site.Html("/streams/abc-123/master.m3u8", "<html>not a playlist</html>");
        var notPlaylist = Assert.IsType<SourceNotResolved>(await scraping.Resolver.ResolveAsync(Command("alpha"), default));
        Assert.Equal(SourceAttempt.ParseFailed, notPlaylist.Attempts[0].Outcome);

        _site.Text("/streams/abc-123/master.m3u8", "#EXTM3U\n#EXTINF:4.0,\nseg0.ts\n#EXT-X-ENDLIST\n", "application/vnd.apple.mpegurl");
        var ok = Assert.IsType<SourceResolved>(await scraping.Resolver.ResolveAsync(Command("alpha"), default));
        Assert.Equal(_site.Url("/streams/abc-123/master.m3u8"), ok.M3u8);
    }

    [Fact]
    public async Task Page_urls_are_tried_in_order_with_the_per_host_interval_between_requests()
    {
        const int intervalMs = 300;
        var clock = OnFakeClock();
        using var scraping = new Scraping(Scraping.Config(
            ("Scraper:MinIntervalMs", intervalMs.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Sources:0:Name", "Slowpoke"), ("Sources:0:Weight", "1"), ("Sources:0:Domain", _site.Domain), ("Sources:0:Scheme", "http"),
            ("Sources:0:PageUrls:0", "{scheme}://{domain}/p1/{avid}"),
            ("Sources:0:PageUrls:1", "{scheme}://{domain}/p2/{avid}"),
            ("Sources:0:PageUrls:2", "{scheme}://{domain}/p3/{avid}"),
            ("Sources:0:PageUrls:3", "{scheme}://{domain}/p4/{avid}"),
            ("Sources:0:M3u8:Regex", "x(?<value>y)")), s => s.AddSingleton<TimeProvider>(clock));

        var resolving = scraping.Resolver.ResolveAsync(Command(), default);
        await LetThroughAsync(clock, 4, TimeSpan.FromMilliseconds(intervalMs));
        await resolving.WaitAsync(Patience);

        var arrivals = _site.Requests.ToList();
        Assert.Equal(["/p1/ABC-123", "/p2/ABC-123", "/p3/ABC-123", "/p4/ABC-123"], arrivals.Select(r => r.Path));
        for (var i = 1; i < arrivals.Count; i++)
        {
            var gap = clock.GetElapsedTime(arrivals[i - 1].ArrivalTimestamp, arrivals[i].ArrivalTimestamp);
            Assert.True(gap >= TimeSpan.FromMilliseconds(intervalMs), $"gap {i} was {gap.TotalMilliseconds:0} ms on the scraper's clock");
        }
    }

    [Fact]
    public async Task Concurrent_commands_share_the_per_host_interval()
    {
        const int intervalMs = 200;
        var clock = OnFakeClock();
        using var scraping = new Scraping(Scraping.Config(TwoSources(("Scraper:MinIntervalMs", intervalMs.ToString(System.Globalization.CultureInfo.InvariantCulture)))),
            s => s.AddSingleton<TimeProvider>(clock));
        var resolving = Task.WhenAll(Enumerable.Range(0, 2).Select(_ => scraping.Resolver.ResolveAsync(Command("alpha"), default)));
        await LetThroughAsync(clock, 2, TimeSpan.FromMilliseconds(intervalMs));
        await resolving.WaitAsync(Patience);
        var arrivals = _site.Requests.OrderBy(r => r.ArrivalTimestamp).ToList();
        Assert.Equal(2, arrivals.Count);
        Assert.True(clock.GetElapsedTime(arrivals[0].ArrivalTimestamp, arrivals[1].ArrivalTimestamp) >= TimeSpan.FromMilliseconds(intervalMs));
    }

    /// <summary>
    /// The per-host interval checked on a clock of the test's, which the scraper's limiter and the site's arrival
    /// records share: a request may leave only once that clock has reached its slot, and the clock moves only when the
    /// test moves it. Wall-clock arrival gaps would also measure the machine's load (a late first arrival, a prompt
    /// second one); the timing itself is a benchmark's matter.
    /// </summary>
    private FakeTimeProvider OnFakeClock()
    {
        var clock = new FakeTimeProvider();
        _site.Clock = clock;
        return clock;
    }

    /// <summary>Each time one more request has arrived, moves the clock on by one interval, until <paramref name="count"/> have.</summary>
    private async Task LetThroughAsync(FakeTimeProvider clock, int count, TimeSpan interval)
    {
        for (var n = 1; n <= count; n++)
        {
            await Wait.UntilAsync(() => _site.Requests.Count >= n, Patience, $"request {n} at the site");
            clock.Advance(interval);
        }
    }
}
