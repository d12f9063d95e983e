using NasSav.Contracts.Scraping;
using NasSav.Media.Avids;
using NasSav.Media.Storage;

namespace NasSav.Scraper.Tests;

/// <summary>Metadata sites, covers and avatars against a real local HTTP server.</summary>
public sealed class MetadataFetchTests : IAsyncLifetime
{
    private TestSite _site = null!;
    private static readonly Avid Abc = Avid.Parse("ABC-123");

    public async Task InitializeAsync() => _site = await TestSite.StartAsync();
    public async Task DisposeAsync() => await _site.DisposeAsync();

    /// <summary>Two javbus-profile sites on the test server: /one/{AVID} then /two/{AVID}.</summary>
    private (string, string?)[] Sites(params (string, string?)[] extra) =>
    [
        ("MetadataSites:0:Name", "One"), ("MetadataSites:0:Domain", _site.Domain), ("MetadataSites:0:Scheme", "http"),
        ("MetadataSites:0:PageUrl", "{scheme}://{domain}/one/{avid}"), ("MetadataSites:0:Profile", "javbus"),
        ("MetadataSites:1:Name", "Two"), ("MetadataSites:1:Domain", _site.Domain), ("MetadataSites:1:Scheme", "http"),
        ("MetadataSites:1:PageUrl", "{scheme}://{domain}/two/{avid}"),
        ("Sources:0:Name", "Demo"), ("Sources:0:Weight", "1"), ("Sources:0:Domain", _site.Domain), ("Sources:0:Scheme", "http"),
        ("Sources:0:PageUrls:0", "{scheme}://{domain}/v/{avid}"), ("Sources:0:M3u8:Regex", "hls='(?<value>[^']+)'"),
        .. extra,
    ];

    /// <summary>The saved JavBus page with its absolute www.javbus.com links pointed at the test server.</summary>
    private string JavBusPage(string file = "javbus-ABC-123.html") =>
        SourceParserTests.Saved(file)
            .Replace("https://www.javbus.com/pics/actress/a1_a.jpg", "/pics/actress/a1_a.jpg", StringComparison.Ordinal)
            .Replace("https://www.javbus.com", _site.BaseUri.AbsoluteUri.TrimEnd('/'), StringComparison.Ordinal);

    private static ScrapeMetadata Command(string? sourceCover = null) => new()
    {
        CorrelationId = Abc.CorrelationId,
        Avid = Abc.Value,
        SourceCoverUrl = sourceCover,
        SourceName = "Demo",
        SourcePageUrl = sourceCover is null ? null : sourceCover.Replace("/img/", "/v/", StringComparison.Ordinal),
        SourceCookie = "demo=cookie",
    };

    private async Task<byte[]?> Read(Scraping scraping, MediaKey key)
    {
        await using var stream = await scraping.Store.OpenReadAsync(key);
        if (stream is null) return null;
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    [Fact]
    public async Task Wrong_page_on_the_first_site_moves_on_and_the_second_gives_metadata_cover_and_avatars()
    {
        _site.Html("/one/ABC-123", JavBusPage("javbus-XYZ-999.html"));
        _site.Html("/two/ABC-123", JavBusPage());
        var cover = TestImages.Jpeg(4096);
        _site.Bytes("/pics/cover/abc_b.jpg", cover, "image/jpeg");
        _site.Bytes("/pics/actress/a1_a.jpg", TestImages.Png(), "image/png");
        _site.Status("/pics/actress/c3_a.jpg", 404); // one avatar fails: the scrape does not
        using var scraping = new Scraping(Scraping.Config(Sites()));

        var result = Assert.IsType<MetadataScraped>(await scraping.Metadata.ScrapeAsync(Command(), default));

        Assert.Equal("Two", result.Site);
        Assert.Equal([SourceAttempt.WrongPage, SourceAttempt.Ok], result.Attempts.Select(a => a.Outcome));
        Assert.Equal("雨夜的约定 全集", result.Title);
        Assert.Equal("2023-04-07", result.ReleaseDate);
        Assert.Equal(120, result.DurationMinutes);
        Assert.Equal("Studio Alpha", result.Studio);
        Assert.Equal(["劇情", "戀愛"], result.Genres);
        Assert.True(result.CoverSaved);
        Assert.Equal(cover, await Read(scraping, MediaKey.Cover(Abc)));
        var coverRequest = Assert.Single(_site.RequestsTo("/pics/cover/abc_b.jpg"));
        Assert.Equal(_site.BaseUri.AbsoluteUri, coverRequest.Header("Referer")); // {scheme}://{site domain}/
        Assert.Null(coverRequest.Header("Cookie"));

        Assert.Equal(["めぐり（藤浦めぐ）", "佐藤花子", "鈴木一美"], result.Actors.Select(a => a.Name));
        Assert.Equal("a1_a.jpg", result.Actors[0].AvatarFile);
        Assert.Equal(TestImages.Png(), await Read(scraping, MediaKey.Avatar("a1_a.jpg")));
        Assert.Null(result.Actors[1].AvatarUrl);  // placeholder: not fetched
        Assert.Null(result.Actors[1].AvatarFile);
        Assert.Equal(_site.Url("/pics/actress/c3_a.jpg"), result.Actors[2].AvatarUrl);
        Assert.Null(result.Actors[2].AvatarFile); // failed: reported as not stored
        Assert.DoesNotContain(_site.Requests, r => r.Path.Contains("nowprinting", StringComparison.Ordinal));
        Assert.Equal(["avatar/a1_a.jpg", "cover/ABC-123.jpg"], scraping.AllFiles().Order());
    }

    [Fact]
    public async Task Existing_avatar_is_not_fetched_again()
    {
        _site.Html("/one/ABC-123", JavBusPage());
        using var scraping = new Scraping(Scraping.Config(Sites()));
        await scraping.Store.WriteAsync(MediaKey.Avatar("a1_a.jpg"), new MemoryStream(TestImages.Jpeg()));
        await scraping.Store.WriteAsync(MediaKey.Avatar("c3_a.jpg"), new MemoryStream(TestImages.Jpeg()));

        var result = Assert.IsType<MetadataScraped>(await scraping.Metadata.ScrapeAsync(Command() with { DownloadCover = false }, default));

        Assert.Equal("a1_a.jpg", result.Actors[0].AvatarFile);
        Assert.Equal("c3_a.jpg", result.Actors[2].AvatarFile);
        Assert.Empty(_site.RequestsTo("/pics/actress/a1_a.jpg"));
        Assert.Empty(_site.RequestsTo("/pics/actress/c3_a.jpg"));
        Assert.False(result.CoverSaved);
        Assert.Empty(_site.RequestsTo("/pics/cover/abc_b.jpg"));
    }

    [Fact]
    public async Task Site_cover_not_an_image_falls_back_to_the_source_cover_with_cookie_and_page_referer()
    {
        _site.Html("/one/ABC-123", JavBusPage());
        _site.Bytes("/pics/cover/abc_b.jpg", TestImages.Html, "image/jpeg"); // an error page dressed as an image
        _site.Bytes("/img/abc-123.jpg", TestImages.Jpeg(), "application/octet-stream");
        using var scraping = new Scraping(Scraping.Config(Sites()));

        var result = Assert.IsType<MetadataScraped>(await scraping.Metadata.ScrapeAsync(Command(_site.Url("/img/abc-123.jpg")), default));

        Assert.True(result.CoverSaved);
        Assert.Equal(TestImages.Jpeg(), await Read(scraping, MediaKey.Cover(Abc)));
        var request = Assert.Single(_site.RequestsTo("/img/abc-123.jpg"));
        Assert.Equal("demo=cookie", request.Header("Cookie"));
        Assert.Equal(_site.Url("/v/abc-123.jpg"), request.Header("Referer"));
    }

    [Fact]
    public async Task All_sites_failing_is_not_found_with_the_source_cover_still_stored()
    {
        _site.Html("/one/ABC-123", JavBusPage("javbus-search-empty.html"));
        _site.Status("/two/ABC-123", 500);
        _site.Bytes("/img/abc-123.jpg", TestImages.Jpeg(), "image/jpeg");
        using var scraping = new Scraping(Scraping.Config(Sites()));

        var result = Assert.IsType<MetadataNotFound>(await scraping.Metadata.ScrapeAsync(Command(_site.Url("/img/abc-123.jpg")), default));

        Assert.Equal([SourceAttempt.ParseFailed, SourceAttempt.HttpError], result.Attempts.Select(a => a.Outcome));
        Assert.Equal("获取ABC-123元数据失败。One:parse_failed, Two:500", result.Reason);
        Assert.True(result.CoverSaved);
        Assert.Equal(2, _site.RequestsTo("/two/ABC-123").Count); // 5xx retried once
    }

    [Fact]
    public async Task Failed_cover_downloads_leave_nothing_half_written()
    {
        _site.Html("/one/ABC-123", JavBusPage());
        // The site's cover breaks off mid-body; the source's cover is empty.
        _site.Map("/pics/cover/abc_b.jpg", async c =>
        {
            c.Response.ContentType = "image/jpeg";
            c.Response.ContentLength = 100_000;
            await c.Response.Body.WriteAsync(TestImages.Jpeg(1000));
            await c.Response.Body.FlushAsync();
            c.Abort();
        });
        _site.Bytes("/img/abc-123.jpg", [], "image/jpeg");
        _site.Status("/pics/actress/a1_a.jpg", 403);
        _site.Status("/pics/actress/c3_a.jpg", 403);
        using var scraping = new Scraping(Scraping.Config(Sites(("Scraper:Retries", "0"))));

        var result = Assert.IsType<MetadataScraped>(await scraping.Metadata.ScrapeAsync(Command(_site.Url("/img/abc-123.jpg")), default));

        Assert.False(result.CoverSaved);
        Assert.Single(_site.RequestsTo("/pics/cover/abc_b.jpg"));
        Assert.Single(_site.RequestsTo("/img/abc-123.jpg"));
        Assert.Empty(scraping.AllFiles()); // no cover, no avatar, no .partial
    }

    [Fact]
    public async Task Existing_cover_survives_a_failed_download()
    {
        _site.Html("/one/ABC-123", JavBusPage());
        _site.Status("/pics/cover/abc_b.jpg", 404);
        using var scraping = new Scraping(Scraping.Config(Sites()));
        var old = TestImages.Jpeg(512);
        await scraping.Store.WriteAsync(MediaKey.Cover(Abc), new MemoryStream(old));

        var result = Assert.IsType<MetadataScraped>(await scraping.Metadata.ScrapeAsync(Command(), default));

        Assert.False(result.CoverSaved);
        Assert.Equal(old, await Read(scraping, MediaKey.Cover(Abc)));
    }

    [Theory]
    [InlineData("https://x.test/pics/actress/305_a.jpg", "305_a.jpg")]
    [InlineData("https://x.test/pics/actress/305_a.JPG?x=1", "305_a.JPG")]
    public void Avatar_file_is_the_last_segment_when_safe(string url, string expected) =>
        Assert.Equal(expected, Avatars.AvatarSaver.FileNameFor(url));

    [Theory]
    [InlineData("https://x.test/avatar.php?id=3")]
    [InlineData("https://x.test/a/..%2F..%2Fetc%2Fpasswd.jpg")]
    [InlineData("https://x.test/a/%E5%90%8D%E5%89%8D.png")]
    [InlineData("https://x.test/")]
    public void Avatar_file_is_a_hash_name_otherwise(string url)
    {
        var name = Avatars.AvatarSaver.FileNameFor(url);
        Assert.Matches("^[0-9a-f]{20}\\.(jpg|png)$", name);
        Assert.True(MediaKey.TryAvatar(name, out _));
        Assert.Equal(name, Avatars.AvatarSaver.FileNameFor(url)); // stable
    }
}
