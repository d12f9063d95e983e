using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NasSav.BrowserTests.Support;
using NasSav.Catalog.Data;

namespace NasSav.BrowserTests;

/// <summary>
/// Issue 11, point 1, in Chromium: NASSAV's detail page reads /resource/metadata with a plain XHR (axios) or fetch in
/// the default cache mode. An answer with Last-Modified but no Cache-Control may be reused without asking (heuristic
/// freshness: a tenth of its age), so after 删除视频 the page still said 已下载. The page here does what the UI does;
/// the state changes between two reads and the second read must show it.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class DetailPageRevalidationTests(ChromiumFixture chromium)
{
    private const string Avid = "ABC-123";

    private const string Page = """
        <!doctype html>
        <html>
        <head><meta charset="utf-8"><link rel="icon" href="data:,"><title>detail</title></head>
        <body>
        <pre id="state"></pre>
        <script>
          // As NASSAV's UI: axios sends XMLHttpRequests (its stores also use fetch), default cache mode, the JSON envelope.
          function xhr(method, url) {
            return new Promise((resolve, reject) => {
              const request = new XMLHttpRequest();
              request.open(method, url);
              request.setRequestHeader('Accept', 'application/json, text/plain, */*');
              request.onload = () => resolve(JSON.parse(request.responseText));
              request.onerror = () => reject(new Error('network error'));
              request.send();
            });
          }
          const client = {
            xhr: xhr,
            fetch: (method, url) => fetch(url, { method, headers: { Accept: 'application/json, text/plain, */*' } }).then(r => r.json()),
          };
          window.metadata = async (how, avid) => {
            const answer = await client[how]('GET', '/nassav/api/resource/metadata?avid=' + encodeURIComponent(avid));
            document.getElementById('state').textContent = answer.data.file_exists ? '已下载' : '未下载';
            return answer.data;
          };
          window.deleteVideo = (how, avid) => client[how]('DELETE', '/nassav/api/downloads/' + encodeURIComponent(avid));
        </script>
        </body>
        </html>
        """;

    [Theory]
    [InlineData("xhr")]
    [InlineData("fetch")]
    public async Task After_the_video_is_deleted_the_detail_page_reads_the_new_state(string how)
    {
        using var ui = new StaticUiFolder(("index.html", Page));
        await using var host = new StandaloneHost(new Dictionary<string, string?> { ["Gateway:StaticUiPath"] = ui.Path });
        await SeedDownloadedAsync(host);

        await using var browser = await chromium.NewPageAsync(host.BaseAddress);
        await browser.Page.GotoAsync("/");
        Assert.True(await FileExistsAsync(browser, how));

        Assert.Equal(200, await browser.Page.EvaluateAsync<int>("([how, avid]) => deleteVideo(how, avid).then(a => a.code)", new[] { how, Avid }));
        Assert.False(File.Exists(VideoPath(host)));

        Assert.False(await FileExistsAsync(browser, how), "the page read a stale answer from the browser's cache: the video is gone");
        Assert.Equal("未下载", await browser.Page.InnerTextAsync("#state"));
        browser.AssertNoErrors();
    }

    /// <summary>A downloaded video whose metadata last changed two days ago: old enough for a heuristic cache to trust it.</summary>
    private static async Task SeedDownloadedAsync(StandaloneHost host)
    {
        var video = VideoPath(host);
        Directory.CreateDirectory(Path.GetDirectoryName(video)!);
        await File.WriteAllBytesAsync(video, new byte[4096]);

        using var scope = host.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        db.Resources.Add(new Resource
        {
            Avid = Avid, OriginalTitle = $"{Avid} 标题", Source = "Jable", FileExists = true, FileSize = 4096, VideoSavedAt = DateTime.UtcNow,
        });
        await db.SaveChangesAsync();
        var twoDaysAgo = DateTime.UtcNow.AddDays(-2);
        // ExecuteUpdate skips SaveChanges, which would stamp metadata_updated_at with now.
        await db.Resources.Where(r => r.Avid == Avid).ExecuteUpdateAsync(s => s.SetProperty(r => r.MetadataUpdatedAt, twoDaysAgo));
    }

    private static Task<bool> FileExistsAsync(BrowserPage browser, string how) =>
        browser.Page.EvaluateAsync<bool>("([how, avid]) => metadata(how, avid).then(d => d.file_exists)", new[] { how, Avid });

    private static string VideoPath(StandaloneHost host) => Path.Combine(host.DataRoot, "resource", "video", Avid + ".mp4");
}
