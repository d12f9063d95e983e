using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NasSav.Catalog.Http;
using NasSav.Catalog.Tests.Covers;
using NasSav.Media.Avids;
using NasSav.Media.Storage;
using NasSav.Media.Storage.S3;
using NasSav.Testing;

namespace NasSav.Catalog.Tests.Storage;

/// <summary>
/// The catalog's media answers with Storage:Kind=S3 on the test s3rver: covers and thumbnails with their validators,
/// video byte ranges, and /downloads/abspath as the object's path in the bucket. Nothing is in the media folder.
/// </summary>
public sealed class S3MediaAnswerTests : IAsyncLifetime
{
    private CatalogApp _app = null!;
    private HttpClient _client = null!;
    private string _bucket = "";

    private IMediaStore Store => _app.Services.GetRequiredService<IMediaStore>();

    public async Task InitializeAsync()
    {
        var settings = await LocalServers.S3rverBucketAsync("Storage:S3");
        settings["Storage:Kind"] = "S3";
        settings["Storage:S3:Prefix"] = "media";
        settings["Data:FilePathPrefix"] = "http://minio:9000";
        _bucket = settings["Storage:S3:Bucket"]!;
        _app = await CatalogApp.StartAsync(DbKind.Sqlite, settings);
        _client = _app.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    private async Task<MediaInfo> PutImageAsync(MediaKey key, int width, int height)
    {
        var path = await TestMedia.MakeImageAsync(Path.Combine(Path.GetTempPath(), $"nassav-s3-{Guid.NewGuid():N}{Path.GetExtension(key.FileName)}"), width, height);
        try
        {
            await using var file = File.OpenRead(path);
            return await Store.WriteAsync(key, file);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public async Task The_store_is_the_bucket_and_the_media_folder_stays_empty()
    {
        Assert.IsType<S3MediaStore>(Store);
        await PutImageAsync(MediaKey.Cover(Avid.Parse("S3C-0")), 32, 16);
        Assert.False(Directory.Exists(Path.Combine(_app.MediaRoot, "cover")));
    }

    [Fact]
    public async Task A_cover_comes_with_its_etag_and_a_revalidation_is_a_304()
    {
        var info = await PutImageAsync(MediaKey.Cover(Avid.Parse("S3C-1")), 320, 180);

        using var response = await _client.GetAsync("/nassav/api/resource/cover?avid=s3c-1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(info.Size, (await response.Content.ReadAsByteArrayAsync()).Length);
        var etag = ConditionalGet.FileETag(info.LastModified, info.Size);
        Assert.Equal(etag, response.Headers.ETag?.ToString());

        using var again = new HttpRequestMessage(HttpMethod.Get, "/nassav/api/resource/cover?avid=s3c-1");
        again.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(etag));
        using var notModified = await _client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Fact]
    public async Task A_thumbnail_is_made_from_the_cover_in_the_bucket_and_stored_there()
    {
        await PutImageAsync(MediaKey.Cover(Avid.Parse("S3C-2")), 1600, 900);

        using var response = await _client.GetAsync("/nassav/api/resource/cover?avid=S3C-2&size=small");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(TestMedia.IsJpeg(body));
        Assert.Equal((200, 113), await TestMedia.ProbeAsync(body));
        Assert.Equal(body.Length, (await Store.GetInfoAsync(MediaKey.Thumbnail(ThumbnailSize.Small, Avid.Parse("S3C-2"))))?.Size);
    }

    [Fact]
    public async Task A_video_is_served_in_byte_ranges_from_the_bucket()
    {
        var bytes = Enumerable.Range(0, 200_000).Select(i => (byte)(i % 251)).ToArray();
        var info = await Store.WriteAsync(MediaKey.Video(Avid.Parse("S3V-1")), new MemoryStream(bytes));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/nassav/api/resource/video?avid=s3v-1");
        request.Headers.Range = new RangeHeaderValue(1000, 1999);
        using var part = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal($"bytes 1000-1999/{bytes.Length}", part.Content.Headers.ContentRange?.ToString());
        Assert.Equal(bytes[1000..2000], await part.Content.ReadAsByteArrayAsync());
        Assert.Equal(ConditionalGet.FileETag(info.LastModified, info.Size), part.Headers.ETag?.ToString());

        using var tail = new HttpRequestMessage(HttpMethod.Get, "/nassav/api/resource/video?avid=s3v-1");
        tail.Headers.Range = new RangeHeaderValue(null, 10);
        using var last = await _client.SendAsync(tail);
        Assert.Equal(bytes[^10..], await last.Content.ReadAsByteArrayAsync());

        using var whole = await _client.GetAsync("/nassav/api/resource/video?avid=s3v-1");
        Assert.Equal(bytes, await whole.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Abspath_is_the_objects_path_in_the_bucket_after_the_prefix()
    {
        await Store.WriteAsync(MediaKey.Video(Avid.Parse("S3V-2")), new MemoryStream([0, 0, 0, 24]));

        using var response = await _client.GetAsync("/nassav/api/downloads/abspath?avid=s3v-2");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var json = JsonDocument.Parse(body);
        Assert.Equal($"http://minio:9000/{_bucket}/media/video/S3V-2.mp4", json.RootElement.GetProperty("data").GetProperty("abspath").GetString());

        using var missing = await _client.GetAsync("/nassav/api/downloads/abspath?avid=s3v-404");
        Assert.Equal("视频 S3V-404 不存在", await TestMedia.AssertEnvelopeAsync(missing, HttpStatusCode.NotFound));
    }
}
