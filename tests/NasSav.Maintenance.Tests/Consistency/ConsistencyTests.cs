using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NasSav.Catalog.Data;
using NasSav.Maintenance.Tests.Support;
using NasSav.Media.Avids;
using NasSav.Media.Storage;

namespace NasSav.Maintenance.Tests.Consistency;

public sealed class ConsistencyTests
{
    private static readonly DateTime SavedAt = new(2025, 3, 4, 5, 6, 7, DateTimeKind.Utc);

    /// <summary>A resource with cover, three thumbnails, a video and an actor with a downloaded avatar: all consistent.</summary>
    private static async Task<IMediaStore> SeedConsistentAsync(MaintenanceApp app, PictureServer pictures, string avid = "CHK-001", int videoBytes = 4096)
    {
        var store = app.Services.GetRequiredService<IMediaStore>();
        var jpeg = await TestFiles.JpegAsync();
        var id = Avid.Parse(avid);
        await Write(store, MediaKey.Cover(id), jpeg);
        foreach (var size in Enum.GetValues<ThumbnailSize>()) await Write(store, MediaKey.Thumbnail(size, id), jpeg);
        await Write(store, MediaKey.Video(id), new byte[videoBytes]);
        await Write(store, MediaKey.SourcePage(id), "<html></html>"u8.ToArray());
        var avatar = $"{avid.ToLowerInvariant()}-actor.jpg";
        await Write(store, MediaKey.Avatar(avatar), jpeg);
        await app.CatalogAsync(async db =>
        {
            var r = await Seed.ResourceAsync(db, avid, [$"演員 {avid}"], ["剧情"], r =>
            {
                r.CoverFilename = $"{avid}.jpg";
                r.FileExists = true;
                r.FileSize = videoBytes;
                r.VideoSavedAt = SavedAt;
            });
            var actor = await db.Actors.SingleAsync(a => a.Name == $"演員 {avid}");
            actor.AvatarUrl = pictures.Url(avatar);
            actor.AvatarFilename = avatar;
            await db.SaveChangesAsync();
        });
        return store;
    }

    private static async Task Write(IMediaStore store, MediaKey key, byte[] bytes)
    {
        await using var s = new MemoryStream(bytes);
        await store.WriteAsync(key, s);
    }

    private static async Task<JsonElement[]> DetailsAsync(MaintenanceApp app, JsonElement run) =>
        (await app.ReportAsync(run.GetProperty("id").GetInt64())).GetProperty("details").EnumerateArray().ToArray();

    [Theory, BothDatabases]
    public async Task Deleting_a_thumbnail_a_video_and_an_avatar_by_hand_dry_run_reports_those_three_apply_repairs_and_a_second_dry_run_reports_nothing(DbKind kind)
    {
        await using var pictures = await PictureServer.StartAsync();
        await using var app = await MaintenanceApp.StartAsync(kind);
        var store = await SeedConsistentAsync(app, pictures);
        await SeedConsistentAsync(app, pictures, "CHK-002");
        var avid = Avid.Parse("CHK-001");

        var clean = await app.RunJobAsync("check-all", apply: false);
        Assert.Empty(await DetailsAsync(app, clean));

        Assert.True(await store.DeleteAsync(MediaKey.Thumbnail(ThumbnailSize.Small, avid)));
        Assert.True(await store.DeleteAsync(MediaKey.Video(avid)));
        Assert.True(await store.DeleteAsync(MediaKey.Avatar("chk-001-actor.jpg")));

        var dry = await DetailsAsync(app, await app.RunJobAsync("check-all", apply: false));
        Assert.Equal(3, dry.Length);
        Assert.Contains(dry, d => d.GetProperty("kind").GetString() == "thumbnail_missing" && d.GetProperty("avid").GetString() == "CHK-001" && d.GetProperty("size").GetString() == "small");
        Assert.Contains(dry, d => d.GetProperty("kind").GetString() == "video_missing" && d.GetProperty("avid").GetString() == "CHK-001");
        Assert.Contains(dry, d => d.GetProperty("kind").GetString() == "file_missing" && d.GetProperty("actor").GetString() == "演員 CHK-001");
        Assert.All(dry, d => Assert.Equal("reported", d.GetProperty("action").GetString()));
        // A dry run changes nothing.
        Assert.True(await app.CatalogAsync(db => db.Resources.Where(r => r.Avid == "CHK-001").Select(r => r.FileExists).SingleAsync()));
        Assert.Null(await store.GetInfoAsync(MediaKey.Thumbnail(ThumbnailSize.Small, avid)));

        var applied = await DetailsAsync(app, await app.RunJobAsync("check-all", apply: true));
        Assert.Equal(3, applied.Length);
        Assert.All(applied, d => Assert.Equal("fixed", d.GetProperty("action").GetString()));
        var row = await app.CatalogAsync(db => db.Resources.AsNoTracking().SingleAsync(r => r.Avid == "CHK-001"));
        Assert.False(row.FileExists);
        Assert.Null(row.FileSize);
        Assert.Null(row.VideoSavedAt);
        Assert.True((await store.GetInfoAsync(MediaKey.Thumbnail(ThumbnailSize.Small, avid)))!.Size > 0);
        Assert.NotNull(await store.GetInfoAsync(MediaKey.Avatar("chk-001-actor.jpg")));

        Assert.Empty(await DetailsAsync(app, await app.RunJobAsync("check-all", apply: false)));
    }

    [Theory, BothDatabases]
    public async Task Video_check_keeps_the_original_download_time_when_only_the_size_differs_and_records_a_file_that_appeared(DbKind kind)
    {
        await using var pictures = await PictureServer.StartAsync();
        await using var app = await MaintenanceApp.StartAsync(kind);
        var store = await SeedConsistentAsync(app, pictures, "VID-001", videoBytes: 100);
        await Write(store, MediaKey.Video(Avid.Parse("VID-001")), new byte[250]);
        await app.CatalogAsync(db => Seed.ResourceAsync(db, "VID-002"));
        await Write(store, MediaKey.Video(Avid.Parse("VID-002")), new byte[77]);

        var dry = await DetailsAsync(app, await app.RunJobAsync("check-videos", apply: false));
        var size = Assert.Single(dry, d => d.GetProperty("avid").GetString() == "VID-001");
        Assert.Equal("file_size_mismatch", size.GetProperty("kind").GetString());
        Assert.Equal(100, size.GetProperty("db_file_size").GetInt64());
        Assert.Equal(250, size.GetProperty("mp4_size").GetInt64());
        Assert.Equal("video_exists_but_false", Assert.Single(dry, d => d.GetProperty("avid").GetString() == "VID-002").GetProperty("kind").GetString());

        await app.RunJobAsync("check-videos", apply: true);
        var first = await app.CatalogAsync(db => db.Resources.AsNoTracking().SingleAsync(r => r.Avid == "VID-001"));
        Assert.Equal(250, first.FileSize);
        Assert.Equal(SavedAt, DateTime.SpecifyKind(first.VideoSavedAt!.Value, DateTimeKind.Utc));
        var second = await app.CatalogAsync(db => db.Resources.AsNoTracking().SingleAsync(r => r.Avid == "VID-002"));
        Assert.True(second.FileExists);
        Assert.Equal(77, second.FileSize);
        Assert.NotNull(second.VideoSavedAt);
        Assert.Empty(await DetailsAsync(app, await app.RunJobAsync("check-videos", apply: false)));
    }

    [Theory, BothDatabases]
    public async Task Thumbnail_check_reports_every_missing_size_of_a_cover_and_catalog_makes_them(DbKind kind)
    {
        await using var app = await MaintenanceApp.StartAsync(kind);
        var store = app.Services.GetRequiredService<IMediaStore>();
        var avid = Avid.Parse("THU-001");
        await app.CatalogAsync(db => Seed.ResourceAsync(db, avid.Value, configure: r => r.CoverFilename = "THU-001.jpg"));
        await Write(store, MediaKey.Cover(avid), await TestFiles.JpegAsync());
        var dry = await DetailsAsync(app, await app.RunJobAsync("check-resources", apply: false));
        Assert.Equal(["large", "medium", "small"], dry.Select(d => d.GetProperty("size").GetString()!).Order().ToArray());
        Assert.All(dry, d => Assert.Equal("thumbnail_missing", d.GetProperty("kind").GetString()));
        var applied = await DetailsAsync(app, await app.RunJobAsync("check-resources", apply: true));
        Assert.All(applied, d => Assert.Equal("fixed", d.GetProperty("action").GetString()));
        foreach (var size in Enum.GetValues<ThumbnailSize>()) Assert.True((await store.GetInfoAsync(MediaKey.Thumbnail(size, avid)))!.Size > 0);
        Assert.Empty(await DetailsAsync(app, await app.RunJobAsync("check-resources", apply: false)));
    }

    [Theory, BothDatabases]
    public async Task Cover_check_clears_cover_filename_when_the_cover_is_gone(DbKind kind)
    {
        await using var app = await MaintenanceApp.StartAsync(kind);
        await app.CatalogAsync(db => Seed.ResourceAsync(db, "COV-001", configure: r => r.CoverFilename = "COV-001.jpg"));
        var dry = await DetailsAsync(app, await app.RunJobAsync("check-resources", apply: false));
        Assert.Equal("cover_missing", Assert.Single(dry).GetProperty("kind").GetString());
        await app.RunJobAsync("check-resources", apply: true);
        Assert.Null(await app.CatalogAsync(db => db.Resources.Where(r => r.Avid == "COV-001").Select(r => r.CoverFilename).SingleAsync()));
        Assert.Empty(await DetailsAsync(app, await app.RunJobAsync("check-resources", apply: false)));
    }

    [Theory, BothDatabases]
    public async Task Avatar_check_downloads_an_avatar_whose_file_name_is_empty_and_skips_placeholders(DbKind kind)
    {
        await using var pictures = await PictureServer.StartAsync();
        await using var app = await MaintenanceApp.StartAsync(kind);
        await app.CatalogAsync(async db =>
        {
            await Seed.ResourceAsync(db, "AVA-001", ["無名", "未取得", "仮画像"]);
            (await db.Actors.SingleAsync(a => a.Name == "未取得")).AvatarUrl = pictures.Url("fresh-face.jpg");
            (await db.Actors.SingleAsync(a => a.Name == "仮画像")).AvatarUrl = Actor.PlaceholderAvatarUrls.First();
            await db.SaveChangesAsync();
        });
        var run = await app.RunJobAsync("check-avatars", apply: false);
        var dry = await DetailsAsync(app, run);
        Assert.Equal("filename_empty", Assert.Single(dry).GetProperty("kind").GetString());
        var report = await app.ReportAsync(run.GetProperty("id").GetInt64());
        Assert.Equal(1, report.GetProperty("no_url").GetInt64());
        Assert.Equal(1, report.GetProperty("placeholder").GetInt64());

        await app.RunJobAsync("check-avatars", apply: true);
        Assert.Equal("fresh-face.jpg", await app.CatalogAsync(db => db.Actors.Where(a => a.Name == "未取得").Select(a => a.AvatarFilename).SingleAsync()));
        Assert.NotNull(await app.Services.GetRequiredService<IMediaStore>().GetInfoAsync(MediaKey.Avatar("fresh-face.jpg")));
        Assert.Empty(await DetailsAsync(app, await app.RunJobAsync("check-avatars", apply: false)));
    }

    [Theory, BothDatabases]
    public async Task Orphaned_files_are_reported_and_kept_unless_deletion_is_configured(DbKind kind)
    {
        foreach (var delete in new[] { false, true })
        {
            await using var app = await MaintenanceApp.StartAsync(kind, new Dictionary<string, string?> { ["Maintenance:Checks:DeleteOrphans"] = delete.ToString() });
            var store = app.Services.GetRequiredService<IMediaStore>();
            await app.CatalogAsync(db => Seed.ResourceAsync(db, "OWN-001"));
            var jpeg = await TestFiles.JpegAsync();
            await Write(store, MediaKey.Cover(Avid.Parse("OWN-001")), jpeg);
            await Write(store, MediaKey.SourcePage(Avid.Parse("OWN-001")), "<html/>"u8.ToArray());
            foreach (var size in Enum.GetValues<ThumbnailSize>()) await Write(store, MediaKey.Thumbnail(size, Avid.Parse("OWN-001")), jpeg);
            var orphans = new[] { MediaKey.Cover(Avid.Parse("GONE-001")), MediaKey.Video(Avid.Parse("GONE-002")), MediaKey.Avatar("nobody.jpg"), MediaKey.Thumbnail(ThumbnailSize.Large, Avid.Parse("GONE-003")) };
            foreach (var key in orphans) await Write(store, key, jpeg);

            var dry = await DetailsAsync(app, await app.RunJobAsync("check-resources", apply: false));
            Assert.Equal(["avatar_orphaned", "cover_orphaned", "thumbnail_orphaned", "video_orphaned"], dry.Select(d => d.GetProperty("kind").GetString()!).Order().ToArray());
            var applied = await DetailsAsync(app, await app.RunJobAsync("check-resources", apply: true));
            Assert.All(applied, d => Assert.Equal(delete ? "fixed" : "skipped", d.GetProperty("action").GetString()));
            foreach (var key in orphans) Assert.Equal(delete, await store.GetInfoAsync(key) is null);
            Assert.NotNull(await store.GetInfoAsync(MediaKey.SourcePage(Avid.Parse("OWN-001"))));
        }
    }

    [Theory, BothDatabases]
    public async Task Staging_folders_of_old_attempts_are_removed_in_apply_mode_and_live_ones_are_left(DbKind kind)
    {
        await using var app = await MaintenanceApp.StartAsync(kind, new Dictionary<string, string?> { ["Maintenance:Checks:StagingMaxAgeHours"] = "1" });
        var staging = Path.Combine(app.MediaRoot, ".staging");
        var old = Directory.CreateDirectory(Path.Combine(staging, "OLD-001", "3")).FullName;
        await File.WriteAllTextAsync(Path.Combine(old, "seg-0001.ts"), "x");
        foreach (var path in Directory.EnumerateFileSystemEntries(old).Append(old))
        {
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddHours(-5));
        }
        var live = Directory.CreateDirectory(Path.Combine(staging, "LIVE-001", "4")).FullName;
        await File.WriteAllTextAsync(Path.Combine(live, "seg-0001.ts"), "x");

        var dry = await DetailsAsync(app, await app.RunJobAsync("check-resources", apply: false));
        var issue = Assert.Single(dry);
        Assert.Equal("staging_orphaned", issue.GetProperty("kind").GetString());
        Assert.Equal("OLD-001", issue.GetProperty("avid").GetString());
        Assert.True(Directory.Exists(old));
        await app.RunJobAsync("check-resources", apply: true);
        Assert.False(Directory.Exists(Path.Combine(staging, "OLD-001")));
        Assert.True(Directory.Exists(live));
    }
}
