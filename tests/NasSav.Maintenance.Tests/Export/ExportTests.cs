using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NasSav.Maintenance.Export;
using NasSav.Maintenance.Tests.Support;
using NasSav.Media.Avids;
using NasSav.Media.Storage;
using NasSav.Testing;

namespace NasSav.Maintenance.Tests.Export;

/// <summary>
/// The media-server export on the standalone composition: what lands in a title's folder (movie.nfo as Kodi and
/// Jellyfin read it, poster and fanart, the video hard-linked or copied), the export-library job (dry run, rebuild,
/// rename, orphans) and the events that keep it current (video deleted or imported, title deleted).
/// </summary>
public sealed class ExportTests : IAsyncLifetime
{
    private string _export = "";

    public Task InitializeAsync()
    {
        _export = Path.Combine(Directory.CreateTempSubdirectory("nassav-export-").FullName, "library");
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        try { Directory.Delete(Path.GetDirectoryName(_export)!, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }

    private static byte[] Video(int size = 64 * 1024)
    {
        var bytes = new byte[size];
        new Random(size).NextBytes(bytes);
        return bytes;
    }

    private static async Task SetDisplayTitleAsync(MaintenanceApp app, string field)
    {
        using var put = await app.Http.PutAsJsonAsync("/nassav/api/setting", new { display_title = field });
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
    }

    [Theory, BothDatabases]
    public async Task A_downloaded_title_gets_a_folder_with_a_movie_nfo_kodi_and_jellyfin_read_poster_fanart_and_the_video(DbKind kind)
    {
        await using var app = await MaintenanceApp.StartAsync(kind, ExportFixture.Settings(_export));
        await ExportFixture.SeedAsync(app, "EXP-001", Video());
        await SetDisplayTitleAsync(app, "translated_title");

        var report = await ExportFixture.RunExportAsync(app, apply: true);
        Assert.Equal(1, report.GetProperty("created").GetInt32());

        var folder = Path.Combine(_export, "EXP-001 在海边小镇遇见的青梅竹马");
        Assert.True(Directory.Exists(folder), string.Join(", ", Directory.GetDirectories(_export)));
        Assert.Equal(
            new[] { ".nassav.json", "EXP-001 在海边小镇遇见的青梅竹马.mp4", "fanart.jpg", "movie.nfo", "poster.jpg" },
            Directory.GetFiles(folder).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray());

        var bytes = await File.ReadAllBytesAsync(Path.Combine(folder, "movie.nfo"));
        Assert.False(bytes.AsSpan().StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }), "no BOM: some readers choke on it");
        var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        var doc = XDocument.Parse(text);
        Assert.Equal(("1.0", "utf-8", "yes"), (doc.Declaration!.Version, doc.Declaration.Encoding!.ToLowerInvariant(), doc.Declaration.Standalone));
        Assert.All(doc.Root!.Elements(), e => Assert.True(NfoMovie.KnownElements.Contains(e.Name.LocalName) || e.Name.LocalName == "label",
            $"<{e.Name.LocalName}> is read by neither Kodi nor Jellyfin"));

        var nfo = NfoMovie.Read(doc);
        Assert.Equal("在海边小镇遇见的青梅竹马", nfo.Title);
        Assert.Equal("海辺の町で出会った幼なじみ", nfo.OriginalTitle);
        Assert.Equal("EXP-001", nfo.SortTitle);
        Assert.Null(nfo.Plot); // none was scraped: no empty <plot/>
        Assert.Equal(143, nfo.RuntimeMinutes);
        Assert.Equal(new DateOnly(2021, 7, 26), nfo.Premiered);
        Assert.Equal(2021, nfo.Year);
        Assert.Equal(["テストスタジオ"], nfo.Studios);
        Assert.Equal("テスト・ピクチャーズ", doc.Root!.Element("label")?.Value);
        Assert.Equal("旅する恋人たち", nfo.Set);
        Assert.Equal(["山田太郎"], nfo.Directors);
        Assert.Equal(["制服", "剧情"], nfo.Genres.Order(StringComparer.Ordinal));
        Assert.Equal(nfo.Genres, nfo.Tags);
        Assert.Equal(
            [
                new NfoActor("星野ひかり（星野光）", "Actress", 0, $"http://nas.example:9790/nassav/api/actors/{await ActorIdAsync(app, "星野ひかり（星野光）")}/avatar"),
                new NfoActor("桐谷しずく", "Actress", 1, "http://pics.example/actress/dm02_a.jpg"),
            ],
            nfo.Actors);
        Assert.Equal(new Dictionary<string, string> { ["nassav"] = "EXP-001" }, nfo.UniqueIds);
        Assert.Equal("nassav", nfo.DefaultUniqueIdType);
        Assert.Equal("2025-03-04 05:06:07", nfo.DateAdded);

        var library = app.Services.GetRequiredService<IMediaStore>().TryGetLocalPath(MediaKey.Video(Avid.Parse("EXP-001")))!;
        Assert.Equal(await File.ReadAllBytesAsync(library), await File.ReadAllBytesAsync(Path.Combine(folder, "EXP-001 在海边小镇遇见的青梅竹马.mp4")));
        Assert.True(File.Exists(library), "the library keeps its video");
    }

    private static Task<long> ActorIdAsync(MaintenanceApp app, string name) =>
        app.CatalogAsync(db => db.Actors.Where(a => a.Name == name).Select(a => a.Id).SingleAsync());

    [Fact]
    public async Task The_poster_is_a_two_by_three_crop_of_the_covers_right_side_and_the_fanart_the_whole_cover()
    {
        await using var app = await MaintenanceApp.StartAsync(DbKind.Sqlite, ExportFixture.Settings(_export));
        await ExportFixture.SeedAsync(app, "EXP-002", Video());
        await ExportFixture.RunExportAsync(app, apply: true);
        var folder = Directory.GetDirectories(_export).Single();

        var (width, height) = await ExportFixture.DimensionsAsync(Path.Combine(folder, "poster.jpg"));
        Assert.Equal(ExportFixture.CoverHeight, height);
        Assert.InRange(width, ExportFixture.CoverHeight * 2 / 3 - 1, ExportFixture.CoverHeight * 2 / 3 + 1);
        var poster = await ExportFixture.MeanColourAsync(Path.Combine(folder, "poster.jpg"));
        Assert.True(poster.B > 200 && poster.R < 50, $"the poster is the blue right side, got {poster}");

        Assert.Equal((ExportFixture.CoverWidth, ExportFixture.CoverHeight), await ExportFixture.DimensionsAsync(Path.Combine(folder, "fanart.jpg")));
        var fanart = await ExportFixture.MeanColourAsync(Path.Combine(folder, "fanart.jpg"));
        Assert.True(fanart.R > 80 && fanart.B > 80, $"the fanart is the whole red and blue cover, got {fanart}");
    }

    [Fact]
    public async Task On_the_same_file_system_the_video_is_a_hard_link_to_the_librarys_file()
    {
        await using var app = await MaintenanceApp.StartAsync(DbKind.Sqlite, ExportFixture.Settings(_export));
        await ExportFixture.SeedAsync(app, "EXP-003", Video());
        await ExportFixture.RunExportAsync(app, apply: true);
        var exported = Directory.GetFiles(Directory.GetDirectories(_export).Single(), "*.mp4").Single();
        var library = app.Services.GetRequiredService<IMediaStore>().TryGetLocalPath(MediaKey.Video(Avid.Parse("EXP-003")))!;

        // One file under two names: a byte written through the library's name shows through the export's.
        await using (var file = new FileStream(library, FileMode.Open, FileAccess.Write)) file.WriteByte(0x42);
        Assert.Equal(0x42, (await File.ReadAllBytesAsync(exported))[0]);
        Assert.Equal("hardlink", Marker(exported).GetProperty("video_mode").GetString());
    }

    [Fact]
    public async Task Link_Copy_copies_the_video_and_the_library_keeps_its_own_file()
    {
        await using var app = await MaintenanceApp.StartAsync(DbKind.Sqlite, ExportFixture.Settings(_export, link: "Copy"));
        var video = Video();
        await ExportFixture.SeedAsync(app, "EXP-004", video);
        await ExportFixture.RunExportAsync(app, apply: true);
        var exported = Directory.GetFiles(Directory.GetDirectories(_export).Single(), "*.mp4").Single();
        var library = app.Services.GetRequiredService<IMediaStore>().TryGetLocalPath(MediaKey.Video(Avid.Parse("EXP-004")))!;

        await using (var file = new FileStream(library, FileMode.Open, FileAccess.Write)) file.WriteByte((byte)(video[0] ^ 0xFF));
        Assert.Equal(video, await File.ReadAllBytesAsync(exported));
        Assert.Equal("copy", Marker(exported).GetProperty("video_mode").GetString());
    }

    [Fact]
    public async Task Link_Auto_copies_when_the_export_is_on_another_file_system()
    {
        // /dev/shm is a tmpfs on Linux, the data folder is under the temp folder: two file systems.
        var other = Directory.CreateTempSubdirectory("nassav-export-shm-").FullName;
        var shm = Path.Combine("/dev/shm", $"nassav-export-{Guid.NewGuid():N}");
        Directory.CreateDirectory(shm);
        try
        {
            var probe = Path.Combine(other, "probe");
            await File.WriteAllTextAsync(probe, "x");
            Assert.True(HardLink.TryCreate(probe, Path.Combine(shm, "probe")) == HardLink.Outcome.CrossDevice,
                "this test needs /dev/shm on another file system than the temp folder");
            File.Delete(Path.Combine(shm, "probe"));

            var export = Path.Combine(shm, "library");
            await using var app = await MaintenanceApp.StartAsync(DbKind.Sqlite, ExportFixture.Settings(export));
            var video = Video();
            await ExportFixture.SeedAsync(app, "EXP-005", video);
            await ExportFixture.RunExportAsync(app, apply: true);
            var exported = Directory.GetFiles(Directory.GetDirectories(export).Single(), "*.mp4").Single();
            Assert.Equal(video, await File.ReadAllBytesAsync(exported));
            Assert.Equal("copy", Marker(exported).GetProperty("video_mode").GetString());
        }
        finally
        {
            Directory.Delete(shm, recursive: true);
            Directory.Delete(other, recursive: true);
        }
    }

    private static JsonElement Marker(string inFolderOf) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Path.GetDirectoryName(inFolderOf)!, LibraryExport.MarkerFile))).RootElement.Clone();

    [Fact]
    public async Task A_dry_run_reports_what_it_would_create_and_writes_nothing_then_apply_creates_and_a_second_run_changes_nothing()
    {
        await using var app = await MaintenanceApp.StartAsync(DbKind.Sqlite, ExportFixture.Settings(_export));
        await ExportFixture.SeedAsync(app, "EXP-006", Video());
        await ExportFixture.SeedAsync(app, "EXP-007", video: null); // not downloaded: not exported with Include=Downloaded

        var dry = await ExportFixture.RunExportAsync(app, apply: false);
        Assert.Equal((1, false), (dry.GetProperty("created").GetInt32(), dry.GetProperty("apply_changes").GetBoolean()));
        var planned = dry.GetProperty("details").EnumerateArray().Single();
        Assert.Equal("EXP-006", planned.GetProperty("avid").GetString());
        Assert.Equal(["movie.nfo", "poster.jpg", "fanart.jpg", "video (auto)"], planned.GetProperty("steps").EnumerateArray().Select(s => s.GetString()));
        Assert.False(Directory.Exists(_export) && Directory.EnumerateFileSystemEntries(_export).Any(), "a dry run writes nothing");

        Assert.Equal(1, (await ExportFixture.RunExportAsync(app, apply: true)).GetProperty("created").GetInt32());
        var again = await ExportFixture.RunExportAsync(app, apply: true);
        Assert.Equal((0, 0, 1), (again.GetProperty("created").GetInt32(), again.GetProperty("updated").GetInt32(), again.GetProperty("unchanged").GetInt32()));
    }

    [Fact]
    public async Task A_changed_title_renames_the_folder_and_the_video_and_rewrites_the_nfo_and_orphans_go_while_foreign_folders_stay()
    {
        await using var app = await MaintenanceApp.StartAsync(DbKind.Sqlite, ExportFixture.Settings(_export));
        await ExportFixture.SeedAsync(app, "EXP-008", Video());
        await ExportFixture.SeedAsync(app, "EXP-009", Video());
        await ExportFixture.RunExportAsync(app, apply: true);
        var old = Path.Combine(_export, "EXP-008 海辺の町で出会った幼なじみ");
        Assert.True(Directory.Exists(old));
        var foreign = Directory.CreateDirectory(Path.Combine(_export, "My own folder")).FullName;
        await File.WriteAllTextAsync(Path.Combine(foreign, "keep.txt"), "mine");

        await app.CatalogAsync(async db =>
        {
            var r = await db.Resources.SingleAsync(x => x.Avid == "EXP-008");
            r.SourceTitle = "EXP-008 新しい題名";
            db.Resources.Remove(await db.Resources.SingleAsync(x => x.Avid == "EXP-009"));
            await db.SaveChangesAsync();
        });

        var dry = await ExportFixture.RunExportAsync(app, apply: false);
        var details = dry.GetProperty("details").EnumerateArray().ToDictionary(d => d.GetProperty("avid").GetString()!, d => d);
        Assert.Equal("updated", details["EXP-008"].GetProperty("action").GetString());
        var steps = details["EXP-008"].GetProperty("steps").EnumerateArray().Select(s => s.GetString()).ToList();
        Assert.Contains("rename from EXP-008 海辺の町で出会った幼なじみ", steps);
        Assert.Contains("movie.nfo", steps);
        Assert.Equal("removed", details["EXP-009"].GetProperty("action").GetString());
        Assert.True(Directory.Exists(old), "a dry run renames nothing");

        var applied = await ExportFixture.RunExportAsync(app, apply: true);
        Assert.Equal(1, applied.GetProperty("foreign_folders").GetInt32());
        var renamed = Path.Combine(_export, "EXP-008 新しい題名");
        Assert.False(Directory.Exists(old));
        Assert.Equal(["EXP-008 新しい題名.mp4"], Directory.GetFiles(renamed, "*.mp4").Select(f => Path.GetFileName(f)!));
        Assert.Equal("新しい題名", NfoMovie.Read(XDocument.Load(Path.Combine(renamed, "movie.nfo"))).Title);
        Assert.False(Directory.EnumerateDirectories(_export, "EXP-009*").Any(), "the folder of a title gone from the library is removed");
        Assert.Equal("mine", await File.ReadAllTextAsync(Path.Combine(foreign, "keep.txt")));
    }

    [Fact]
    public async Task A_title_whose_name_tries_to_leave_the_export_folder_stays_inside_it()
    {
        await using var app = await MaintenanceApp.StartAsync(DbKind.Sqlite, ExportFixture.Settings(_export));
        await ExportFixture.SeedAsync(app, "EXP-010", Video(), r => r.SourceTitle = "EXP-010 ../../../tmp/evil\\..\\x:y*z?\"<>|\u0001");
        await ExportFixture.RunExportAsync(app, apply: true);
        var folder = Assert.Single(Directory.GetDirectories(_export));
        Assert.Equal("EXP-010 _.._.._tmp_evil_.._x_y_z_____", Path.GetFileName(folder));
        Assert.Equal(_export, Path.GetDirectoryName(folder));
    }

    [Fact]
    public async Task Deleting_the_video_removes_it_from_the_export_and_deleting_the_title_removes_its_folder()
    {
        await using var app = await MaintenanceApp.StartAsync(DbKind.Sqlite, ExportFixture.Settings(_export, include: "All"));
        await ExportFixture.SeedAsync(app, "EXP-011", Video());
        await ExportFixture.RunExportAsync(app, apply: true);
        var folder = Directory.GetDirectories(_export).Single();
        Assert.Single(Directory.GetFiles(folder, "*.mp4"));

        // DELETE /downloads/{avid}: catalog publishes VideoFileChanged; with Include=All the folder stays without it.
        using (var delete = await app.Http.DeleteAsync("/nassav/api/downloads/EXP-011"))
            Assert.True(delete.IsSuccessStatusCode, await delete.Content.ReadAsStringAsync());
        await Wait.UntilAsync(() => Task.FromResult(Directory.GetFiles(folder, "*.mp4").Length == 0), MaintenanceApp.Patience, "the exported video to go");
        Assert.True(File.Exists(Path.Combine(folder, "movie.nfo")));

        // DELETE /resource/{avid}: ResourceDeleted; the folder goes.
        using (var delete = await app.Http.DeleteAsync("/nassav/api/resource/EXP-011"))
            Assert.True(delete.IsSuccessStatusCode, await delete.Content.ReadAsStringAsync());
        await Wait.UntilAsync(() => Task.FromResult(!Directory.Exists(folder)), MaintenanceApp.Patience, "the title's folder to go");
    }

    [Fact]
    public async Task A_video_imported_from_the_drop_folder_is_exported_with_its_title_at_once()
    {
        var inbox = Directory.CreateTempSubdirectory("nassav-export-inbox-").FullName;
        try
        {
            var settings = ExportFixture.Settings(_export);
            settings["Maintenance:Import:Enabled"] = "true";
            settings["Maintenance:Import:Folders:0"] = inbox;
            settings["Maintenance:Import:StableSeconds"] = "0.5";
            settings["Maintenance:Import:ScanSeconds"] = "0.1";
            await using var app = await MaintenanceApp.StartAsync(DbKind.Sqlite, settings);
            await ExportFixture.SeedAsync(app, "EXP-012", video: null);

            var video = Video();
            await File.WriteAllBytesAsync(Path.Combine(inbox, "[site] exp-012 1080p.mp4"), video);
            var expected = Path.Combine(_export, "EXP-012 海辺の町で出会った幼なじみ", "EXP-012 海辺の町で出会った幼なじみ.mp4");
            await Wait.UntilAsync(() => Task.FromResult(File.Exists(expected)), MaintenanceApp.Patience, "the imported video in the export");
            Assert.Equal(video, await File.ReadAllBytesAsync(expected));
            Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(expected)!, "movie.nfo")));
        }
        finally
        {
            Directory.Delete(inbox, recursive: true);
        }
    }
}
