using System.Net;
using System.Net.Http.Headers;
using NasSav.Catalog.Http;
using NasSav.Catalog.Tests.Covers;
using NasSav.Catalog.Tests.Http;

namespace NasSav.Catalog.Tests.Videos;

public sealed class VideoAppFixture : IAsyncLifetime
{
    public CatalogApp App { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;
    public byte[] Bytes { get; } = Enumerable.Range(0, 200_000).Select(i => (byte)(i % 251)).ToArray();
    public FileInfo File { get; private set; } = null!;
    public string ETag => ConditionalGet.FileETag(File.LastWriteTimeUtc, File.Length);

    public async Task InitializeAsync()
    {
        App = await CatalogApp.StartAsync(DbKind.Sqlite);
        Client = App.CreateClient();
        var path = Path.Combine(Directory.CreateDirectory(Path.Combine(App.MediaRoot, "video")).FullName, "VID-001.mp4");
        await System.IO.File.WriteAllBytesAsync(path, Bytes);
        File = new FileInfo(path);
        // Files a traversal could reach: outside the media root, and inside it but not a video.
        await System.IO.File.WriteAllTextAsync(Path.Combine(App.DataRoot, "outside.mp4"), "secret");
        Directory.CreateDirectory(Path.Combine(App.MediaRoot, "cover"));
        await System.IO.File.WriteAllTextAsync(Path.Combine(App.MediaRoot, "cover", "VID-001.mp4"), "not a video");
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
    }
}

/// <summary>GET|HEAD /resource/video: ranges, conditional GET and hostile input, at the HTTP level.</summary>
public sealed class VideoEndpointTests(VideoAppFixture fixture) : IClassFixture<VideoAppFixture>
{
    private const string Url = "/nassav/api/resource/video?avid=vid-001";
    private HttpClient Client => fixture.Client;
    private byte[] Bytes => fixture.Bytes;

    private Task<HttpResponseMessage> GetAsync(Action<HttpRequestHeaders>? headers = null, HttpMethod? method = null, string url = Url)
    {
        var request = new HttpRequestMessage(method ?? HttpMethod.Get, url);
        headers?.Invoke(request.Headers);
        return Client.SendAsync(request);
    }

    private static Action<HttpRequestHeaders> RawRange(string value) => h => h.TryAddWithoutValidation("Range", value);

    private async Task AssertWholeFileAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Content.Headers.ContentRange);
        Assert.Equal(Bytes, await response.Content.ReadAsByteArrayAsync());
    }

    private async Task AssertPartAsync(HttpResponseMessage response, long from, long to)
    {
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal($"bytes {from}-{to}/{Bytes.Length}", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal(to - from + 1, response.Content.Headers.ContentLength);
        Assert.Equal(Bytes[(int)from..(int)(to + 1)], await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(fixture.ETag, response.Headers.ETag?.ToString());
    }

    [Fact]
    public async Task The_whole_video_comes_with_its_type_length_validators_and_accept_ranges()
    {
        using var response = await GetAsync();

        await AssertWholeFileAsync(response);
        Assert.Equal("video/mp4", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Bytes.Length, response.Content.Headers.ContentLength);
        Assert.Equal(["bytes"], response.Headers.AcceptRanges);
        Assert.Equal(fixture.ETag, response.Headers.ETag?.ToString());
        Assert.Equal(ConditionalGet.TruncateToSeconds(fixture.File.LastWriteTimeUtc), response.Content.Headers.LastModified);
        Assert.Equal("inline", response.Content.Headers.ContentDisposition?.DispositionType);
    }

    [Fact]
    public async Task Head_has_the_headers_and_no_body()
    {
        using var whole = await GetAsync(method: HttpMethod.Head);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(Bytes.Length, whole.Content.Headers.ContentLength);
        Assert.Empty(await whole.Content.ReadAsByteArrayAsync());

        using var part = await GetAsync(h => h.Range = new RangeHeaderValue(10, 19), HttpMethod.Head);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(10, part.Content.Headers.ContentLength);
        Assert.Empty(await part.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("bytes=0-0", 0, 0)]
    [InlineData("bytes=0-1", 0, 1)]
    [InlineData("bytes=1000-99999", 1000, 99999)]
    [InlineData("bytes=150000-", 150000, 199999)]
    [InlineData("bytes=199999-", 199999, 199999)]
    [InlineData("bytes=-500", 199500, 199999)]
    [InlineData("bytes=-999999", 0, 199999)]        // a suffix longer than the file is the whole file, as a 206
    [InlineData("bytes=190000-500000", 190000, 199999)] // an end past the file is clamped
    [InlineData("BYTES=5-9", 5, 9)]
    public async Task One_range_is_a_206_with_exactly_those_bytes(string range, long from, long to)
    {
        using var response = await GetAsync(RawRange(range));
        await AssertPartAsync(response, from, to);
    }

    [Theory]
    [InlineData("bytes=200000-")]
    [InlineData("bytes=200000-200010")]
    [InlineData("bytes=9999999999-")]
    [InlineData("bytes=-0")]
    public async Task A_range_that_starts_past_the_end_is_a_416_envelope_with_the_size(string range)
    {
        using var response = await GetAsync(RawRange(range));

        await TestMedia.AssertEnvelopeAsync(response, HttpStatusCode.RequestedRangeNotSatisfiable);
        Assert.Equal($"bytes */{Bytes.Length}", response.Content.Headers.ContentRange?.ToString());
    }

    [Theory]
    [InlineData("bytes=abc")]
    [InlineData("bytes=")]
    [InlineData("bytes=5-3")]
    [InlineData("bytes=--5")]
    [InlineData("bytes=0-1,5-9")]                     // several ranges: we may (and do) send the whole file
    [InlineData("items=0-10")]
    [InlineData("bytes=99999999999999999999999999-")] // overflows a long
    [InlineData("bytes=0-1\u00e9")]
    [InlineData("0-10")]
    public async Task A_range_the_server_may_ignore_gives_the_whole_file(string range)
    {
        using var response = await GetAsync(RawRange(range));
        await AssertWholeFileAsync(response);
    }

    [Fact]
    public async Task A_thousand_ranges_are_ignored_not_a_crash()
    {
        var many = "bytes=" + string.Join(',', Enumerable.Range(0, 1000).Select(i => $"{i}-{i}"));
        using var response = await GetAsync(RawRange(many));
        await AssertWholeFileAsync(response);
    }

    [Fact]
    public async Task If_range_applies_the_range_only_to_the_same_version()
    {
        var lastModified = ConditionalGet.TruncateToSeconds(fixture.File.LastWriteTimeUtc);
        using (var same = await GetAsync(h => { h.Range = new RangeHeaderValue(10, 20); h.TryAddWithoutValidation("If-Range", fixture.ETag); }))
            await AssertPartAsync(same, 10, 20);
        using (var sameDate = await GetAsync(h => { h.Range = new RangeHeaderValue(10, 20); h.IfRange = new RangeConditionHeaderValue(lastModified); }))
            await AssertPartAsync(sameDate, 10, 20);

        foreach (var stale in new[] { "\"1-2\"", "W/" + fixture.ETag, lastModified.AddDays(-1).ToString("R"), "garbage" })
        {
            using var response = await GetAsync(h => { h.Range = new RangeHeaderValue(10, 20); h.TryAddWithoutValidation("If-Range", stale); });
            await AssertWholeFileAsync(response);
        }
    }

    [Fact]
    public async Task Conditional_get_answers_304_with_the_validators()
    {
        var lastModified = ConditionalGet.TruncateToSeconds(fixture.File.LastWriteTimeUtc);
        using (var byTag = await GetAsync(h => h.TryAddWithoutValidation("If-None-Match", fixture.ETag)))
        {
            Assert.Equal(HttpStatusCode.NotModified, byTag.StatusCode);
            Assert.Equal(fixture.ETag, byTag.Headers.ETag?.ToString());
            Assert.Empty(await byTag.Content.ReadAsByteArrayAsync());
        }
        using (var byDate = await GetAsync(h => h.IfModifiedSince = lastModified))
            Assert.Equal(HttpStatusCode.NotModified, byDate.StatusCode);
        // A 304 wins over a range of the same version (RFC 9110 §13.2.2 order).
        using (var rangedTag = await GetAsync(h => { h.TryAddWithoutValidation("If-None-Match", fixture.ETag); h.Range = new RangeHeaderValue(0, 1); }))
            Assert.Equal(HttpStatusCode.NotModified, rangedTag.StatusCode);
        // An ETag that does not match decides, whatever If-Modified-Since says.
        using (var otherTag = await GetAsync(h => { h.TryAddWithoutValidation("If-None-Match", "\"1-2\""); h.IfModifiedSince = lastModified; }))
            await AssertWholeFileAsync(otherTag);
        using (var older = await GetAsync(h => h.IfModifiedSince = lastModified.AddSeconds(-1)))
            await AssertWholeFileAsync(older);
    }

    [Fact]
    public async Task If_match_and_if_unmodified_since_that_fail_are_a_412_envelope()
    {
        var lastModified = ConditionalGet.TruncateToSeconds(fixture.File.LastWriteTimeUtc);
        foreach (var headers in new Action<HttpRequestHeaders>[]
                 {
                     h => h.TryAddWithoutValidation("If-Match", "\"1-2\""),
                     h => h.TryAddWithoutValidation("If-Match", "W/" + fixture.ETag), // strong comparison
                     h => h.IfUnmodifiedSince = lastModified.AddSeconds(-1),
                 })
        {
            using var response = await GetAsync(headers);
            await TestMedia.AssertEnvelopeAsync(response, HttpStatusCode.PreconditionFailed);
        }
        using (var match = await GetAsync(h => { h.TryAddWithoutValidation("If-Match", fixture.ETag); h.Range = new RangeHeaderValue(0, 3); }))
            await AssertPartAsync(match, 0, 3);
        using (var any = await GetAsync(h => h.TryAddWithoutValidation("If-Match", "*")))
            await AssertWholeFileAsync(any);
        using (var unmodified = await GetAsync(h => h.IfUnmodifiedSince = lastModified))
            await AssertWholeFileAsync(unmodified);
    }

    [Fact]
    public async Task Bad_avids_are_400s_and_nothing_outside_video_is_served()
    {
        foreach (var query in new[] { "", "?avid=", "?avid=%20" })
        {
            using var missing = await GetAsync(url: "/nassav/api/resource/video" + query);
            Assert.Equal("avid参数缺失", await TestMedia.AssertEnvelopeAsync(missing, HttpStatusCode.BadRequest));
        }
        var hostile = BadInputTests.BadAvids.Select(Uri.EscapeDataString)
            .Concat(["../outside", "..%2F..%2Foutside", "../cover/VID-001", "%2e%2e%2foutside", "VID-001.mp4", "VID-001%00", "/etc/passwd"]);
        foreach (var avid in hostile)
            foreach (var method in new[] { HttpMethod.Get, HttpMethod.Head })
            {
                using var response = await GetAsync(RawRange("bytes=0-"), method, $"/nassav/api/resource/video?avid={avid}");
                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{method} {avid}: {(int)response.StatusCode}");
            }
        using var unknown = await GetAsync(RawRange("bytes=0-10"), url: "/nassav/api/resource/video?avid=VID-404");
        Assert.Equal("视频 VID-404 不存在", await TestMedia.AssertEnvelopeAsync(unknown, HttpStatusCode.NotFound));
        Assert.False(unknown.Headers.AcceptRanges.Count > 0);
    }

    [Fact]
    public async Task Other_methods_are_no_route_and_never_reach_an_avid_named_video()
    {
        // "video" is a reserved word of {avid:avid}: DELETE /resource/video is not "delete the AVID VIDEO".
        foreach (var method in new[] { HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete })
        {
            using var response = await GetAsync(method: method);
            var status = response.StatusCode is HttpStatusCode.MethodNotAllowed ? HttpStatusCode.MethodNotAllowed : HttpStatusCode.NotFound;
            Assert.Matches("^(接口不存在|不支持的请求方法)", await TestMedia.AssertEnvelopeAsync(response, status));
        }
        Assert.True(System.IO.File.Exists(fixture.File.FullName));
    }
}
