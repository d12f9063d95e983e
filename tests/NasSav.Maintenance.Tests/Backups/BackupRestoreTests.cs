using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NasSav.Catalog.Data;
using NasSav.Maintenance.Backups;
using NasSav.Maintenance.Tests.Support;
using NasSav.ServiceDefaults.Configuration;
using NasSav.Database;
using NasSav.Testing;

namespace NasSav.Maintenance.Tests.Backups;

public sealed class BackupRestoreTests
{
    [Theory, BothDatabases]
    public async Task A_backup_taken_while_the_library_is_written_restores_into_an_empty_database_with_every_resource_actor_genre_and_link(DbKind kind)
    {
        await using var app = await MaintenanceApp.StartAsync(kind);
        for (var i = 1; i <= 20; i++) await app.CatalogAsync(db => Seed.ResourceAsync(db, $"SEED-{i:D3}"));

        // A writer adds titles (each with its actors, genres and links in one transaction) during the backup.
        using var stop = new CancellationTokenSource();
        var committed = new List<string>();
        var writer = Task.Run(async () =>
        {
            for (var i = 1; !stop.IsCancellationRequested; i++)
            {
                var avid = $"LIVE-{i:D4}";
                await app.CatalogAsync(db => Seed.ResourceAsync(db, avid));
                lock (committed) committed.Add(avid);
            }
        });
        await Wait.UntilAsync(() => { lock (committed) return committed.Count >= 5; }, MaintenanceApp.Patience, "the writer to be writing");
        List<string> before;
        lock (committed) before = [.. committed];

        var run = await app.RunJobAsync("backup-database");
        await Wait.UntilAsync(() => { lock (committed) return committed.Count >= before.Count + 5; }, MaintenanceApp.Patience, "writes after the backup");
        await stop.CancelAsync();
        await writer;

        var report = await app.ReportAsync(run.GetProperty("id").GetInt64());
        var folder = report.GetProperty("folder").GetString()!;
        Assert.StartsWith(Path.Combine(app.BackupRoot, "database_"), folder);
        Assert.True(File.Exists(Path.Combine(folder, "backup_info.json")));

        await using var target = await EmptyTargetAsync(kind);
        await DatabaseRestore.RestoreAsync(folder, target.Options, target.Data, null, CancellationToken.None);

        await using var restored = target.Open();
        var rows = await restored.Resources.AsNoTracking()
            .Select(r => new { r.Avid, Actors = r.ActorLinks.Select(l => l.Actor.Name).OrderBy(n => n).ToList(), Genres = r.GenreLinks.Select(l => l.Genre.Name).OrderBy(n => n).ToList() })
            .ToListAsync();
        var avids = rows.Select(r => r.Avid).ToHashSet();
        for (var i = 1; i <= 20; i++) Assert.Contains($"SEED-{i:D3}", avids);
        foreach (var avid in before) Assert.Contains(avid, avids);
        // A consistent snapshot: every restored title has all of its links, none half-written.
        foreach (var r in rows)
        {
            Assert.Equal(new[] { "共演 花子", $"演員 {r.Avid}" }.Order(StringComparer.Ordinal), r.Actors.Order(StringComparer.Ordinal));
            Assert.Equal(new[] { "剧情", $"类型 {r.Avid}" }.Order(StringComparer.Ordinal), r.Genres.Order(StringComparer.Ordinal));
        }
        // Every actor and genre of those titles is there (with their ids, so the links are the live ones).
        var liveActors = await app.CatalogAsync(db => db.Actors.AsNoTracking().Where(a => a.ResourceLinks.Any(l => avids.Contains(l.Resource.Avid))).Select(a => new { a.Id, a.Name }).ToListAsync());
        var restoredActors = await restored.Actors.AsNoTracking().Select(a => new { a.Id, a.Name }).ToListAsync();
        foreach (var a in liveActors) Assert.Contains(a, restoredActors);
        var liveLinks = await app.CatalogAsync(db => db.ResourceGenres.AsNoTracking().Where(l => avids.Contains(l.Resource.Avid)).CountAsync());
        Assert.Equal(liveLinks, await restored.ResourceGenres.CountAsync());
        Assert.Equal(rows.Count * 2, await restored.ResourceActors.CountAsync());
    }

    [Theory, BothDatabases]
    public async Task Restore_refuses_a_database_that_is_not_empty(DbKind kind)
    {
        await using var app = await MaintenanceApp.StartAsync(kind);
        var run = await app.RunJobAsync("backup-database");
        var folder = (await app.ReportAsync(run.GetProperty("id").GetInt64())).GetProperty("folder").GetString()!;
        await using var target = await EmptyTargetAsync(kind);
        await DatabaseRestore.RestoreAsync(folder, target.Options, target.Data, null, CancellationToken.None);
        var again = await Assert.ThrowsAsync<InvalidOperationException>(() => DatabaseRestore.RestoreAsync(folder, target.Options, target.Data, null, CancellationToken.None));
        Assert.Contains(kind == DbKind.Postgres ? "not empty" : "exists", again.Message);
    }

    [Theory, BothDatabases]
    public async Task The_avid_list_is_written_in_the_reference_format_and_old_backups_are_pruned(DbKind kind)
    {
        await using var app = await MaintenanceApp.StartAsync(kind, new Dictionary<string, string?> { ["Maintenance:Backups:Days"] = "30" });
        Directory.CreateDirectory(app.BackupRoot);
        var oldList = Path.Combine(app.BackupRoot, "avid_backup_20200101_000000.json");
        await File.WriteAllTextAsync(oldList, "{}");
        var oldDb = Directory.CreateDirectory(Path.Combine(app.BackupRoot, "database_20200101_000000")).FullName;
        var unrelated = Path.Combine(app.BackupRoot, "keep-me.txt");
        await File.WriteAllTextAsync(unrelated, "not a backup");

        // An empty library writes nothing (as the reference).
        var empty = await app.RunJobAsync("backup-avid-list");
        Assert.Equal(0, empty.GetProperty("counts").GetProperty("avids").GetInt64());
        Assert.Empty(Directory.GetFiles(app.BackupRoot, "avid_backup_2026*.json").Concat(Directory.GetFiles(app.BackupRoot, "avid_backup_20[3-9]*.json")));

        foreach (var avid in new[] { "XYZ-002", "ABC-123", "MNO-050" }) await app.CatalogAsync(db => Seed.ResourceAsync(db, avid));
        var run = await app.RunJobAsync("backup-avid-list");
        var file = (await app.ReportAsync(run.GetProperty("id").GetInt64())).GetProperty("file").GetString()!;
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(file));
        var root = doc.RootElement;
        Assert.Matches(@"^avid_backup_\d{8}_\d{6}\.json$", Path.GetFileName(file));
        Assert.Equal(Path.GetFileNameWithoutExtension(file)["avid_backup_".Length..], root.GetProperty("backup_time").GetString());
        Assert.True(DateTimeOffset.TryParse(root.GetProperty("backup_datetime").GetString(), out _));
        Assert.Equal(3, root.GetProperty("total_count").GetInt32());
        Assert.Equal(["ABC-123", "MNO-050", "XYZ-002"], root.GetProperty("avids").EnumerateArray().Select(a => a.GetString()!).ToArray());

        await app.RunJobAsync("backup-database");
        Assert.False(File.Exists(oldList));
        Assert.False(Directory.Exists(oldDb));
        Assert.True(File.Exists(unrelated));
    }

    [Fact]
    public async Task The_restore_command_restores_with_the_host_configuration_and_refuses_a_second_time()
    {
        await using var app = await MaintenanceApp.StartAsync(DbKind.Sqlite);
        await app.CatalogAsync(db => Seed.ResourceAsync(db, "CMD-001"));
        var run = await app.RunJobAsync("backup-database");
        var folder = (await app.ReportAsync(run.GetProperty("id").GetInt64())).GetProperty("folder").GetString()!;
        await using var target = await EmptyTargetAsync(DbKind.Sqlite);
        string[] args = ["--from", folder, $"--Data:Root={target.Root}", "--Database:Provider=Sqlite", $"--Database:ConnectionString={target.Options.ConnectionString}"];
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.Equal(0, await RestoreCommand.RunAsync(args, output, error));
        Assert.Contains("restored", output.ToString());
        await using (var restored = target.Open())
            Assert.Equal("CMD-001", await restored.Resources.Select(r => r.Avid).SingleAsync());
        Assert.Equal(1, await RestoreCommand.RunAsync(args, output, error));
        Assert.Contains("exists", error.ToString());
        Assert.Equal(2, await RestoreCommand.RunAsync([], output, error));
    }

    private static async Task<RestoreTarget> EmptyTargetAsync(DbKind kind)
    {
        var root = Directory.CreateTempSubdirectory("nassav-restore-").FullName;
        var data = new DataOptions { Root = root };
        if (kind == DbKind.Postgres)
        {
            var pg = await PostgresDatabase.CreateAsync();
            return new RestoreTarget(new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = pg.ConnectionString }, data, pg, root);
        }
        return new RestoreTarget(new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = $"Data Source={Path.Combine(root, "restored.db")}" }, data, null, root);
    }

    private sealed record RestoreTarget(DatabaseOptions Options, DataOptions Data, PostgresDatabase? Postgres, string Root) : IAsyncDisposable
    {
        public CatalogDbContext Open()
        {
            var builder = new DbContextOptionsBuilder<CatalogDbContext>();
            DatabaseRegistration.Configure(builder, Options, Data);
            return new CatalogDbContext(builder.Options);
        }

        public async ValueTask DisposeAsync()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Postgres is not null) await Postgres.DisposeAsync();
            try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
        }
    }
}
