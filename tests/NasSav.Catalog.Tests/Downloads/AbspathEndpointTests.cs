using System.Net;
using System.Text.Json;
using NasSav.Catalog.Tests.Covers;

namespace NasSav.Catalog.Tests.Downloads;

/// <summary>GET /downloads/abspath: the video's path inside the media root, with the configured prefix.</summary>
public sealed class AbspathEndpointTests
{
    private const string Url = "/nassav/api/downloads/abspath";

    private static async Task<string> AddVideoAsync(CatalogApp app, string avid)
    {
        var path = Path.Combine(Directory.CreateDirectory(Path.Combine(app.MediaRoot, "video")).FullName, avid + ".mp4");
        await File.WriteAllBytesAsync(path, [0, 0, 0, 24]);
        return path;
    }

    private static async Task<string> AbspathAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(200, json.RootElement.GetProperty("code").GetInt32());
        return json.RootElement.GetProperty("data").GetProperty("abspath").GetString()!;
    }

    [Fact]
    public async Task Answers_400_404_and_the_path_inside_the_media_root()
    {
        await using var app = await CatalogApp.StartAsync(DbKind.Sqlite);
        using var client = app.CreateClient();
        var video = await AddVideoAsync(app, "ABP-123");
        // A file outside video/ that a traversal could reach.
        await File.WriteAllTextAsync(Path.Combine(app.DataRoot, "outside.mp4"), "x");

        foreach (var query in new[] { "", "?avid=" })
        {
            using var missing = await client.GetAsync(Url + query);
            Assert.Equal("avid参数缺失", await TestMedia.AssertEnvelopeAsync(missing, HttpStatusCode.BadRequest));
        }
        foreach (var query in new[] { "../outside", "..%2Foutside", "../../etc/passwd", "a/b", "%00", "ABP-123%00" })
        {
            using var invalid = await client.GetAsync($"{Url}?avid={query}");
            await TestMedia.AssertEnvelopeAsync(invalid, HttpStatusCode.BadRequest);
        }
        using (var notFound = await client.GetAsync($"{Url}?avid=abp-404"))
            Assert.Equal("视频 ABP-404 不存在", await TestMedia.AssertEnvelopeAsync(notFound, HttpStatusCode.NotFound));

        using var ok = await client.GetAsync($"{Url}?avid=abp-123");
        var abspath = await AbspathAsync(ok);

        Assert.Equal(video, abspath);
        Assert.StartsWith(Path.GetFullPath(app.MediaRoot) + Path.DirectorySeparatorChar, abspath);
        Assert.True(Path.IsPathRooted(abspath));
        Assert.DoesNotContain("None", abspath);
    }

    [Fact]
    public async Task The_configured_prefix_is_put_before_the_path()
    {
        await using var app = await CatalogApp.StartAsync(DbKind.Sqlite,
            new Dictionary<string, string?> { ["Data:FilePathPrefix"] = "//nas.local" });
        using var client = app.CreateClient();
        var video = await AddVideoAsync(app, "PRE-7");

        using var ok = await client.GetAsync($"{Url}/?avid=PRE-7");

        Assert.Equal("//nas.local" + video, await AbspathAsync(ok));
    }
}
