using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using NasSav.Catalog.Covers;
using NasSav.Catalog.Http;
using NasSav.Catalog.Thumbnails;

namespace NasSav.Catalog.Tests.Covers;

public sealed class CoverAppFixture : IAsyncLifetime
{
    public CatalogApp App { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = await CatalogApp.StartAsync(DbKind.Sqlite);
        Client = App.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
    }
}

/// <summary>GET /resource/cover on one app; every test uses its own AVIDs.</summary>
public sealed class CoverEndpointTests(CoverAppFixture fixture) : IClassFixture<CoverAppFixture>
{
    private const string Url = "/nassav/api/resource/cover";
    private CatalogApp App => fixture.App;
    private HttpClient Client => fixture.Client;
    private ThumbnailService Thumbnails => App.Services.GetRequiredService<ThumbnailService>();

    private string CoverPath(string avid, string ext = ".jpg") => Path.Combine(App.MediaRoot, "cover", avid + ext);
    private string ThumbPath(string size, string avid) => Path.Combine(App.MediaRoot, "thumbnails", size, avid + ".jpg");

    private static void AssertCacheHeaders(HttpResponseMessage response, string path)
    {
        var file = new FileInfo(path);
        Assert.Equal(ConditionalGet.FileETag(file.LastWriteTimeUtc, file.Length), response.Headers.ETag?.ToString());
        Assert.Equal(ConditionalGet.TruncateToSeconds(file.LastWriteTimeUtc), response.Content.Headers.LastModified);
        var versioned = response.RequestMessage!.RequestUri!.Query.Contains("v=");
        Assert.Equal(versioned ? CoverEndpoints.VersionedCacheControl : CoverEndpoints.UnversionedCacheControl,
            response.Headers.CacheControl?.ToString());
    }

    [Theory]
    [InlineData(".jpg", "image/jpeg")]
    [InlineData(".png", "image/png")]
    [InlineData(".webp", "image/webp")]
    public async Task Without_size_the_original_is_served_with_its_type(string ext, string type)
    {
        var avid = "ORIG-" + ext.TrimStart('.').ToUpperInvariant();
        var path = await TestMedia.MakeImageAsync(CoverPath(avid, ext), 320, 180);

        using var response = await Client.GetAsync($"{Url}?avid={avid.ToLowerInvariant()}&v=12345");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await File.ReadAllBytesAsync(path), await response.Content.ReadAsByteArrayAsync());
        AssertCacheHeaders(response, path);
    }

    [Fact]
    public async Task Jpg_wins_over_other_extensions()
    {
        var jpg = await TestMedia.MakeImageAsync(CoverPath("PREF-1", ".jpg"), 64, 32);
        await TestMedia.MakeImageAsync(CoverPath("PREF-1", ".png"), 32, 32);

        using var response = await Client.GetAsync($"{Url}?avid=PREF-1");

        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await File.ReadAllBytesAsync(jpg), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_versioned_url_may_be_cached_for_a_year_an_unversioned_one_is_revalidated()
    {
        await TestMedia.MakeImageAsync(CoverPath("CACHE-1"), 64, 32);

        using var versioned = await Client.GetAsync($"{Url}?avid=CACHE-1&size=small&v=123");
        using var plain = await Client.GetAsync($"{Url}?avid=CACHE-1&size=small");

        Assert.Equal(CoverEndpoints.VersionedCacheControl, versioned.Headers.CacheControl?.ToString());
        Assert.Equal(CoverEndpoints.UnversionedCacheControl, plain.Headers.CacheControl?.ToString());
    }

    [Theory]
    [InlineData("small", 200, 113)]
    [InlineData("medium", 600, 338)]
    [InlineData("large", 1200, 675)]
    public async Task Each_size_makes_a_jpeg_of_its_width_with_cache_headers(string size, int width, int height)
    {
        var avid = "SIZE-" + size.ToUpperInvariant();
        await TestMedia.MakeImageAsync(CoverPath(avid), 1600, 900);

        using var response = await Client.GetAsync($"{Url}?avid={avid}&size={size}&v=1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(TestMedia.IsJpeg(body));
        Assert.Equal((width, height), await TestMedia.ProbeAsync(body));
        var stored = ThumbPath(size, avid);
        Assert.Equal(body, await File.ReadAllBytesAsync(stored));
        // A freshly made thumbnail carries its validators (the peer sent none).
        AssertCacheHeaders(response, stored);
    }

    [Theory]
    [InlineData(".png")]
    [InlineData(".webp")]
    public async Task Png_and_webp_covers_make_jpeg_thumbnails(string ext)
    {
        var avid = "FMT-" + ext.TrimStart('.').ToUpperInvariant();
        await TestMedia.MakeImageAsync(CoverPath(avid, ext), 800, 400);

        using var response = await Client.GetAsync($"{Url}?avid={avid}&size=small");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(TestMedia.IsJpeg(body));
        Assert.Equal((200, 100), await TestMedia.ProbeAsync(body));
    }

    [Fact]
    public async Task A_narrow_cover_is_never_upscaled()
    {
        await TestMedia.MakeImageAsync(CoverPath("TINY-1"), 100, 60);

        using var response = await Client.GetAsync($"{Url}?avid=TINY-1&size=large");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((100, 60), await TestMedia.ProbeAsync(await response.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task A_current_thumbnail_is_reused_not_remade()
    {
        await TestMedia.MakeImageAsync(CoverPath("REUSE-1"), 800, 450);
        using var first = await Client.GetAsync($"{Url}?avid=REUSE-1&size=small");
        var made = Thumbnails.GeneratedCount;

        using var second = await Client.GetAsync($"{Url}?avid=REUSE-1&size=small");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(made, Thumbnails.GeneratedCount);
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await second.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("&size=medium")]
    public async Task Matching_If_None_Match_gives_304_with_validators(string sizeQuery)
    {
        var avid = sizeQuery.Length == 0 ? "INM-1" : "INM-2";
        await TestMedia.MakeImageAsync(CoverPath(avid), 800, 450);
        using var first = await Client.GetAsync($"{Url}?avid={avid}{sizeQuery}");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Url}?avid={avid}{sizeQuery}");
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var second = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.Equal(first.Content.Headers.LastModified, second.Content.Headers.LastModified);
        Assert.Equal(CoverEndpoints.UnversionedCacheControl, second.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task A_mismatched_If_None_Match_wins_over_a_future_If_Modified_Since()
    {
        var path = await TestMedia.MakeImageAsync(CoverPath("PREC-1"), 320, 180);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Url}?avid=PREC-1");
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"stale-etag\""));
        request.Headers.IfModifiedSince = DateTimeOffset.UtcNow.AddDays(1);
        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(await File.ReadAllBytesAsync(path), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task If_Modified_Since_alone_is_honoured()
    {
        var path = await TestMedia.MakeImageAsync(CoverPath("IMS-1"), 320, 180);

        using var current = new HttpRequestMessage(HttpMethod.Get, $"{Url}?avid=IMS-1");
        current.Headers.IfModifiedSince = DateTimeOffset.UtcNow.AddDays(1);
        using var notModified = await Client.SendAsync(current);
        using var stale = new HttpRequestMessage(HttpMethod.Get, $"{Url}?avid=IMS-1");
        stale.Headers.IfModifiedSince = File.GetLastWriteTimeUtc(path).AddDays(-1);
        using var modified = await Client.SendAsync(stale);

        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(HttpStatusCode.OK, modified.StatusCode);
    }

    [Fact]
    public async Task A_cover_newer_than_its_thumbnail_makes_it_again()
    {
        var cover = await TestMedia.MakeImageAsync(CoverPath("REGEN-1"), 800, 450);
        using var first = await Client.GetAsync($"{Url}?avid=REGEN-1&size=medium");
        Assert.Equal((600, 338), await TestMedia.ProbeAsync(await first.Content.ReadAsByteArrayAsync()));
        var made = Thumbnails.GeneratedCount;

        // A new, square cover; the existing thumbnail is now older than it.
        await TestMedia.MakeImageAsync(cover, 800, 800, "blue");
        var now = DateTime.UtcNow;
        File.SetLastWriteTimeUtc(ThumbPath("medium", "REGEN-1"), now.AddHours(-2));
        File.SetLastWriteTimeUtc(cover, now.AddHours(-1));

        using var second = await Client.GetAsync($"{Url}?avid=REGEN-1&size=medium");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(made + 1, Thumbnails.GeneratedCount);
        Assert.Equal((600, 600), await TestMedia.ProbeAsync(await second.Content.ReadAsByteArrayAsync()));
        Assert.NotEqual(first.Headers.ETag, second.Headers.ETag);
        AssertCacheHeaders(second, ThumbPath("medium", "REGEN-1"));
    }

    [Fact]
    public async Task Concurrent_first_requests_make_the_thumbnail_once_and_all_get_it()
    {
        await TestMedia.MakeImageAsync(CoverPath("CONC-1"), 1600, 900);
        var made = Thumbnails.GeneratedCount;

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var response = await Client.GetAsync($"{Url}?avid=CONC-1&size=large");
            return (response.StatusCode, Type: response.Content.Headers.ContentType?.MediaType, ETag: response.Headers.ETag?.Tag,
                Body: await response.Content.ReadAsByteArrayAsync());
        }));

        Assert.Equal(made + 1, Thumbnails.GeneratedCount);
        Assert.All(responses, r =>
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Equal("image/jpeg", r.Type);
            Assert.True(TestMedia.IsJpeg(r.Body));
            Assert.Equal(responses[0].Body, r.Body);
            Assert.Equal(responses[0].ETag, r.ETag);
        });
        Assert.Equal((1200, 675), await TestMedia.ProbeAsync(responses[0].Body));
        Assert.Equal(0, Thumbnails.LockCount);
    }

    [Fact]
    public async Task An_unreadable_cover_falls_back_to_the_original_with_validators()
    {
        var path = CoverPath("BROKEN-1");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, "this is not an image"u8.ToArray());

        using var response = await Client.GetAsync($"{Url}?avid=BROKEN-1&size=small");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await File.ReadAllBytesAsync(path), await response.Content.ReadAsByteArrayAsync());
        AssertCacheHeaders(response, path);
        Assert.False(File.Exists(ThumbPath("small", "BROKEN-1")));
    }

    [Fact]
    public async Task Head_answers_headers_without_a_body()
    {
        var path = await TestMedia.MakeImageAsync(CoverPath("HEAD-1"), 320, 180);

        using var original = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"{Url}?avid=HEAD-1"));
        using var thumbnail = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"{Url}?avid=HEAD-1&size=small"));

        Assert.Equal(HttpStatusCode.OK, original.StatusCode);
        Assert.Equal("image/jpeg", original.Content.Headers.ContentType?.MediaType);
        Assert.Equal(new FileInfo(path).Length, original.Content.Headers.ContentLength);
        Assert.Empty(await original.Content.ReadAsByteArrayAsync());
        AssertCacheHeaders(original, path);
        Assert.Equal(HttpStatusCode.OK, thumbnail.StatusCode);
        AssertCacheHeaders(thumbnail, ThumbPath("small", "HEAD-1"));
    }

    [Fact]
    public async Task A_trailing_slash_is_tolerated()
    {
        await TestMedia.MakeImageAsync(CoverPath("SLASH-1"), 64, 36);
        using var response = await Client.GetAsync($"{Url}/?avid=SLASH-1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?avid=")]
    [InlineData("?size=small")]
    public async Task A_missing_avid_is_a_400_envelope(string query)
    {
        using var response = await Client.GetAsync(Url + query);
        Assert.Equal("avid参数缺失", await TestMedia.AssertEnvelopeAsync(response, HttpStatusCode.BadRequest));
    }

    [Theory]
    [InlineData("avid=../../etc/passwd")]
    [InlineData("avid=..%2F..%2Fetc%2Fpasswd")]
    [InlineData("avid=a/b")]
    [InlineData("avid=a%5Cb")]
    [InlineData("avid=%00")]
    [InlineData("avid=ABC-1%00")]
    [InlineData("avid=ABC-1.jpg")]
    [InlineData("avid=../../etc/passwd&size=small")]
    [InlineData("avid=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task An_invalid_avid_is_a_400_envelope(string query)
    {
        using var response = await Client.GetAsync($"{Url}?{query}");
        await TestMedia.AssertEnvelopeAsync(response, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("tiny")]
    [InlineData("200")]
    [InlineData("../small")]
    public async Task An_unknown_size_is_a_400_envelope(string size)
    {
        await TestMedia.MakeImageAsync(CoverPath("BADSIZE-1"), 64, 36);
        using var response = await Client.GetAsync($"{Url}?avid=BADSIZE-1&size={Uri.EscapeDataString(size)}");
        Assert.Equal("size 参数无效，支持 small|medium|large", await TestMedia.AssertEnvelopeAsync(response, HttpStatusCode.BadRequest));
    }

    [Theory]
    [InlineData("")]
    [InlineData("&size=small")]
    public async Task A_missing_cover_is_a_404_envelope(string sizeQuery)
    {
        using var response = await Client.GetAsync($"{Url}?avid=nope-404{sizeQuery}");
        Assert.Equal("封面 NOPE-404 不存在", await TestMedia.AssertEnvelopeAsync(response, HttpStatusCode.NotFound));
    }
}

public sealed class CoverWithoutFfmpegTests
{
    [Fact]
    public async Task Without_ffmpeg_the_original_is_served_with_validators()
    {
        await using var app = await CatalogApp.StartAsync(DbKind.Sqlite,
            new Dictionary<string, string?> { ["Media:FfmpegPath"] = "/nonexistent/bin/ffmpeg" });
        using var client = app.CreateClient();
        var path = await TestMedia.MakeImageAsync(Path.Combine(app.MediaRoot, "cover", "NOFF-1.png"), 800, 450);

        using var response = await client.GetAsync("/nassav/api/resource/cover?avid=NOFF-1&size=small");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await File.ReadAllBytesAsync(path), await response.Content.ReadAsByteArrayAsync());
        var file = new FileInfo(path);
        Assert.Equal(ConditionalGet.FileETag(file.LastWriteTimeUtc, file.Length), response.Headers.ETag?.ToString());
        Assert.Equal(CoverEndpoints.UnversionedCacheControl, response.Headers.CacheControl?.ToString());
        Assert.Equal(0, app.Services.GetRequiredService<ThumbnailService>().GeneratedCount);
    }

    [Fact]
    public async Task The_thumbnailer_names_the_missing_executable_and_the_setting()
    {
        var thumbnailer = new FfmpegThumbnailer(Microsoft.Extensions.Options.Options.Create(
            new NasSav.Media.Processes.MediaToolOptions { FfmpegPath = "/nonexistent/bin/ffmpeg" }));

        var error = await Assert.ThrowsAsync<ThumbnailException>(() => thumbnailer.CreateAsync("in.jpg", "out.jpg", 200));

        Assert.Contains("/nonexistent/bin/ffmpeg", error.Message);
        Assert.Contains("Media:FfmpegPath", error.Message);
    }
}
