using System.Net;
using System.Text.Json;
using NasSav.Catalog.Tests.Support;

namespace NasSav.Catalog.Tests.Resources;

public sealed class ResourceMetadataTests
{
    [Theory, BothDatabases]
    public async Task Conformance_missing_is_404_and_existing_is_shape_m(DbKind kind)
    {
        await using var app = await CatalogApp.StartAsync(kind);
        await app.ResourceAsync("DB-001", r =>
        {
            r.SourceTitle = "DB-001 源标题";
            r.Duration = 7200;
            r.FileExists = true;
            r.FileSize = 0;
            r.Metadata = """{"director":"导演甲","studio":"","label":null,"series":"系列乙","m3u8":"x"}""";
        }, actors: ["Bob", "Alice"], genres: ["素人"]);
        var client = app.CreateClient();

        Assert.Equal("资源 NOEXIST 的元数据不存在", (await client.ApiGetAsync("/resource/metadata?avid=NOEXIST")).Is(404).Message);
        Assert.Equal("avid参数缺失", (await client.ApiGetAsync("/resource/metadata")).Is(400).Message);

        var answer = (await client.ApiGetAsync("/resource/metadata?avid=db-001")).Is(200);
        var data = answer.Data;
        Assert.Equal("DB-001", data.GetProperty("avid").GetString());
        Assert.Equal("120分钟", data.GetProperty("duration").GetString());
        Assert.Equal("导演甲", data.GetProperty("director").GetString());
        Assert.Equal("", data.GetProperty("studio").GetString());
        Assert.Equal("", data.GetProperty("label").GetString());
        Assert.Equal("系列乙", data.GetProperty("series").GetString());
        Assert.Equal(["Alice", "Bob"], data.GetProperty("actors").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(["素人"], data.GetProperty("genres").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(JsonValueKind.Null, data.GetProperty("file_size").ValueKind); // 0 means unknown
        Assert.True(data.GetProperty("file_exists").GetBoolean());
        string[] fields = ["avid", "original_title", "source_title", "translated_title", "source", "release_date", "duration", "director",
            "studio", "label", "series", "actors", "genres", "file_exists", "file_size", "watched", "is_favorite",
            // Our additive fields (read-only).
            "translation_status", "translation_error"];
        Assert.Equal(fields.Order(), data.EnumerateObject().Select(p => p.Name).Order());
        Assert.Matches("^\"[0-9a-f]{32}\"$", answer.Response.Headers.ETag!.ToString());
        Assert.NotNull(answer.Response.Content.Headers.LastModified);
    }

    /// <summary>The demo's 8 s clip showed 时长 0分钟 after its download: a measured duration is shown sensibly.</summary>
    [Theory]
    [InlineData(null, "")]
    [InlineData(0, "")]
    [InlineData(8, "8秒")]
    [InlineData(59, "59秒")]
    [InlineData(60, "1分钟")]
    [InlineData(89, "1分钟")]
    [InlineData(90, "2分钟")]
    [InlineData(5880, "98分钟")]
    [InlineData(7199, "120分钟")]
    [InlineData(7200, "120分钟")]
    public void A_duration_is_shown_in_whole_minutes_or_below_one_minute_in_seconds(int? seconds, string shown) =>
        Assert.Equal(shown, NasSav.Catalog.Resources.ResourceMetadataEndpoint.FormatDuration(seconds));

    /// <summary>
    /// Without Cache-Control a browser reuses an answer with Last-Modified heuristically, without asking: the NASSAV UI
    /// kept showing a deleted video as downloaded. Every JSON answer is revalidated; media keeps its own policy.
    /// </summary>
    [Fact]
    public async Task Every_json_answer_must_be_revalidated_and_media_keeps_its_own_policy()
    {
        await using var app = await CatalogApp.StartAsync(DbKind.Sqlite);
        await app.ResourceAsync("CC-001", r => r.CoverFilename = "CC-001.jpg");
        app.WriteMedia("cover/CC-001.jpg", 64);
        var client = app.CreateClient();

        var metadata = (await client.ApiGetAsync("/resource/metadata?avid=CC-001")).Is(200);
        AssertNoCache(metadata.Response);
        var notModified = await client.SendAsync(HttpMethod.Get, "/resource/metadata?avid=CC-001",
            configure: r => r.Headers.TryAddWithoutValidation("If-None-Match", metadata.Response.Headers.ETag!.ToString()));
        Assert.Equal(HttpStatusCode.NotModified, notModified.Status);
        AssertNoCache(notModified.Response);

        AssertNoCache((await client.ApiGetAsync("/resources/")).Is(200).Response);
        AssertNoCache((await client.ApiGetAsync("/setting")).Is(200).Response);
        AssertNoCache((await client.ApiGetAsync("/resource/metadata?avid=NONE-1")).Is(404).Response);
        AssertNoCache((await client.ApiGetAsync("/no/such/route")).Is(404).Response);
        AssertNoCache((await client.SendAsync(HttpMethod.Patch, "/resource/CC-001/status", """{"watched":true}""")).Is(200).Response);

        var cover = await client.GetAsync("/nassav/api/resource/cover?avid=CC-001");
        Assert.Equal(HttpStatusCode.OK, cover.StatusCode);
        Assert.Equal(NasSav.Catalog.Covers.CoverEndpoints.UnversionedCacheControl, cover.Headers.CacheControl?.ToString());
    }

    private static void AssertNoCache(HttpResponseMessage response) =>
        Assert.True(response.Headers.CacheControl is { NoCache: true },
            $"{(int)response.StatusCode} {response.RequestMessage!.RequestUri}: Cache-Control '{response.Headers.CacheControl}'");

    [Theory, BothDatabases]
    public async Task Conditional_get_is_decided_by_the_etag_and_a_status_change_moves_it(DbKind kind)
    {
        await using var app = await CatalogApp.StartAsync(kind);
        await app.ResourceAsync("CND-001");
        var client = app.CreateClient();

        var first = (await client.ApiGetAsync("/resource/metadata?avid=CND-001")).Is(200);
        var etag = first.Response.Headers.ETag!.ToString();
        var lastModified = first.Response.Content.Headers.LastModified!.Value;

        var same = await client.SendAsync(HttpMethod.Get, "/resource/metadata?avid=CND-001",
            configure: r => r.Headers.TryAddWithoutValidation("If-None-Match", etag));
        Assert.Equal(HttpStatusCode.NotModified, same.Status);
        Assert.Equal(etag, same.Response.Headers.ETag!.ToString());

        // A stale ETag with a fresh If-Modified-Since must not give 304 (the peer's bug).
        var stale = await client.SendAsync(HttpMethod.Get, "/resource/metadata?avid=CND-001", configure: r =>
        {
            r.Headers.TryAddWithoutValidation("If-None-Match", "\"0123456789abcdef0123456789abcdef\"");
            r.Headers.IfModifiedSince = lastModified.AddHours(1);
        });
        stale.Is(200);

        var before = (await app.FindAsync("CND-001"))!.MetadataUpdatedAt;
        (await client.SendAsync(HttpMethod.Patch, "/resource/CND-001/status", """{"is_favorite":true}""")).Is(200);
        Assert.True((await app.FindAsync("CND-001"))!.MetadataUpdatedAt > before);

        var after = await client.SendAsync(HttpMethod.Get, "/resource/metadata?avid=CND-001",
            configure: r => r.Headers.TryAddWithoutValidation("If-None-Match", etag));
        after.Is(200);
        Assert.NotEqual(etag, after.Response.Headers.ETag!.ToString());
        Assert.True(after.Data.GetProperty("is_favorite").GetBoolean());
    }

    [Theory, BothDatabases]
    public async Task Preview_gives_the_stored_metadata_or_a_fallback(DbKind kind)
    {
        await using var app = await CatalogApp.StartAsync(kind);
        await app.ResourceAsync("PRV-001", r => r.Metadata = """{"avid":"PRV-001","m3u8":"https://x/y.m3u8","title":"标题"}""");
        await app.ResourceAsync("PRV-002", r => r.ReleaseDate = "2024-01-01");
        app.WriteMedia("cover/PRV-001.jpg");
        var client = app.CreateClient();

        var stored = (await client.ApiGetAsync("/resource/PRV-001/preview")).Is(200).Data;
        Assert.Equal("标题", stored.GetProperty("metadata").GetProperty("title").GetString());
        Assert.StartsWith("/nassav/api/resource/cover?avid=PRV-001&size=small&v=", stored.GetProperty("thumbnail_url").GetString());

        var fallback = (await client.ApiGetAsync("/resource/prv-002/preview")).Is(200).Data;
        Assert.Equal("2024-01-01", fallback.GetProperty("metadata").GetProperty("release_date").GetString());
        Assert.Equal("/nassav/api/resource/cover?avid=PRV-002&size=small", fallback.GetProperty("thumbnail_url").GetString());

        Assert.Equal("资源 NOTEXIST-999 不存在", (await client.ApiGetAsync("/resource/NOTEXIST-999/preview")).Is(404).Message);
    }
}
