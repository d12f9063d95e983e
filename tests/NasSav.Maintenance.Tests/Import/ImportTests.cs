using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using NasSav.DemoSite;
using NasSav.Maintenance.Import;
using NasSav.Maintenance.Tests.Support;
using NasSav.Media.Avids;
using NasSav.Media.Storage;
using NasSav.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace NasSav.Maintenance.Tests.Import;

/// <summary>The drop-folder importer against the whole pipeline: the real scraper on the offline demo site.</summary>
public sealed class ImportTests : IAsyncLifetime
{
    /// <summary>
    /// Long against the gap between two writes (<see cref="WriteEverySeconds"/>): the test's own checks between writes
    /// may take seconds on a loaded machine, and a file left alone for StableSeconds is imported, half written.
    /// </summary>
    private const double StableSeconds = 10;
    private const double WriteEverySeconds = 0.5;
    /// <summary>Writes spanning more than StableSeconds: the importer must wait for the last one, not time out on the first.</summary>
    private const int Writes = 24;
    private WebApplication _site = null!;
    private string _cache = "";
    private string _inbox = "";

    public async Task InitializeAsync()
    {
        _cache = Directory.CreateTempSubdirectory("nassav-maint-demo-").FullName;
        _inbox = Directory.CreateTempSubdirectory("nassav-inbox-").FullName;
        _site = await DemoSiteApp.StartAsync(["--urls", "http://127.0.0.1:0", "--Demo:Count=3", $"--Demo:CacheDir={_cache}", "--Demo:ClipSeconds=8", "--Demo:SegmentDelayMs=0"]);
    }

    public async Task DisposeAsync()
    {
        await _site.StopAsync();
        await _site.DisposeAsync();
        Directory.Delete(_cache, recursive: true);
        Directory.Delete(_inbox, recursive: true);
    }

    private Task<MaintenanceApp> StartAsync(DbKind kind)
    {
        var demo = new Uri(_site.Urls.Single()).Authority;
        return MaintenanceApp.StartAsync(kind, new Dictionary<string, string?>
        {
            ["Config:File"] = Path.Combine(RepoPaths.Root, "tools", "NasSav.DemoSite", "demo-config.yaml"),
            ["Sources:0:Domain"] = demo,
            ["Sources:1:Domain"] = demo,
            ["MetadataSites:0:Domain"] = demo,
            ["Scraper:PlaceholderAvatarUrls:1"] = $"http://{demo}/mono/actjpgs/nowprinting.gif",
            ["Logging:Format"] = "simple",
            ["Maintenance:Import:Enabled"] = "true",
            ["Maintenance:Import:Folders:0"] = _inbox,
            ["Maintenance:Import:StableSeconds"] = StableSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Maintenance:Import:ScanSeconds"] = "0.1",
        });
    }

    [Theory, BothDatabases]
    public async Task A_video_written_slowly_into_the_inbox_is_imported_only_after_it_stopped_changing_and_gets_has_video_and_scraped_metadata(DbKind kind)
    {
        await using var app = await StartAsync(kind);
        var store = app.Services.GetRequiredService<IMediaStore>();
        var key = MediaKey.Video(Avid.Parse("DEMO-001"));
        var path = Path.Combine(_inbox, "DEMO-001.mp4");
        var chunk = new byte[64 * 1024];
        new Random(1).NextBytes(chunk);

        var lastWrite = DateTime.UtcNow;
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite))
        {
            // Each write comes well within the stable time; the importer must keep waiting.
            for (var i = 0; i < Writes; i++)
            {
                await file.WriteAsync(chunk);
                await file.FlushAsync();
                lastWrite = DateTime.UtcNow;
                await Wait.UntilAsync(() => Pending(app).ContinueWith(t => t.Result.Contains(path)), MaintenanceApp.Patience, "the importer to see the growing file");
                Assert.Null(await store.GetInfoAsync(key));
                Assert.True(File.Exists(path));
                await Task.Delay(TimeSpan.FromSeconds(WriteEverySeconds)); // the writer's pace, not a wait for anything
            }
        }
        await Wait.UntilAsync(async () => await store.GetInfoAsync(key) is not null, MaintenanceApp.Patience, "the video in the media store");
        Assert.True(DateTime.UtcNow - lastWrite >= TimeSpan.FromSeconds(StableSeconds * 0.9), "imported before the stable time had passed");
        Assert.False(File.Exists(path));
        Assert.Equal(Writes * chunk.Length, (await store.GetInfoAsync(key))!.Size);

        JsonElement status = default;
        await Wait.UntilAsync(async () =>
        {
            status = (await app.Http.GetFromJsonAsync<JsonElement>("/nassav/api/maintenance/import/status")).GetProperty("data");
            return status.GetProperty("done").GetArrayLength() + status.GetProperty("failed").GetArrayLength() > 0;
        }, TimeSpan.FromSeconds(120), "the import to end");
        Assert.True(status.GetProperty("failed").GetArrayLength() == 0, status.ToString());
        Assert.Equal("DEMO-001", status.GetProperty("done")[0].GetProperty("avids")[0].GetString());

        var list = (await app.Http.GetFromJsonAsync<JsonElement>("/nassav/api/resources/")).GetProperty("data");
        var item = list.EnumerateArray().Single(r => r.GetProperty("avid").GetString() == "DEMO-001");
        Assert.True(item.GetProperty("has_video").GetBoolean());
        Assert.False(string.IsNullOrEmpty(item.GetProperty("original_title").GetString()));
        Assert.Equal(Writes * chunk.Length, await app.CatalogAsync(db => Task.FromResult(db.Resources.Single(r => r.Avid == "DEMO-001").FileSize)));
    }

    [Fact]
    public async Task Files_without_an_avid_are_reported_and_left_untouched_and_small_items_go_first()
    {
        await using var app = await StartAsync(DbKind.Sqlite);
        var stray = Path.Combine(_inbox, "holiday video.mp4");
        await File.WriteAllBytesAsync(stray, new byte[100]);
        JsonElement status = default;
        await Wait.UntilAsync(async () =>
        {
            status = (await app.Http.GetFromJsonAsync<JsonElement>("/nassav/api/maintenance/import/status")).GetProperty("data");
            return status.GetProperty("unmatched").GetArrayLength() > 0;
        }, MaintenanceApp.Patience, "the stray file to be reported");
        var unmatched = status.GetProperty("unmatched")[0];
        Assert.Equal(stray, unmatched.GetProperty("path").GetString());
        Assert.Contains("AVID", unmatched.GetProperty("reason").GetString());
        Assert.True(File.Exists(stray));
        Assert.Equal(_inbox, status.GetProperty("watched")[0].GetString());
    }

    [Theory]
    [InlineData("ABC-123.mp4", "ABC-123")]
    [InlineData("[site] abc-123 1080p.mp4", "ABC-123")]
    [InlineData("xyzABC-123.mp4", "XYZABC-123")]
    [InlineData("abcdefghijkl-123.mp4", null)]
    [InlineData("v2ABC-123.mp4", null)]
    [InlineData("ABC-1234567.mp4", null)]
    [InlineData("holiday.mp4", null)]
    public void An_avid_is_found_in_a_file_name(string name, string? avid)
    {
        Assert.Equal(avid is not null, AvidInFileName.TryFind(name, out var found));
        if (avid is not null) Assert.Equal(avid, found.Value);
    }

    [Fact]
    public void Small_items_come_first_by_the_configured_thresholds()
    {
        var o = new ImportOptions { SmallFileCount = 1, SmallBytes = 1000 };
        var big = new InboxItem { Path = "a", Folder = "f", Files = 1, Bytes = 5000 };
        var many = new InboxItem { Path = "b", Folder = "f", Files = 3, Bytes = 300 };
        var small = new InboxItem { Path = "c", Folder = "f", Files = 1, Bytes = 900 };
        Assert.Equal(["c", "a", "b"], new[] { big, many, small }.OrderBy(i => i.Priority(o)).Select(i => i.Path).ToArray());
    }

    private static async Task<List<string>> Pending(MaintenanceApp app)
    {
        var status = (await app.Http.GetFromJsonAsync<JsonElement>("/nassav/api/maintenance/import/status")).GetProperty("data");
        return status.GetProperty("pending").EnumerateArray().Select(p => p.GetProperty("path").GetString()!).ToList();
    }
}
