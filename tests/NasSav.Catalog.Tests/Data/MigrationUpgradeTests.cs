using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using NasSav.Catalog.Data;
using NasSav.Catalog.Data.Migrations;

namespace NasSav.Catalog.Tests.Data;

/// <summary>A database at version 0001 with data upgrades to the latest version without losing it.</summary>
public sealed class MigrationUpgradeTests
{
    [Theory]
    [InlineData(DbKind.Sqlite)]
    [InlineData(DbKind.Postgres)]
    public async Task Upgrading_from_0001_keeps_rows_and_back_fills_metadata_created_at(DbKind kind)
    {
        await using var scratch = await ScratchDatabase.CreateAsync(kind);

        var created = new DateTime(2024, 3, 4, 5, 6, 7, DateTimeKind.Utc);
        await using (var db = new CatalogDbContext(scratch.Options))
        {
            await db.GetService<IMigrator>().MigrateAsync(M0001_InitialLibrary.Id);
            Assert.Equal([M0001_InitialLibrary.Id], await db.Database.GetAppliedMigrationsAsync());
            var no = false;
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO resources (avid, original_title, translation_status, source, release_date, file_exists, watched, is_favorite,
                                       metadata_created_at, metadata_updated_at, created_at)
                VALUES ('OLD-001', '旧标题', 'completed', 'Jable', '2020-01-01', {no}, {no}, {no}, NULL, {created}, {created})
                """);
            await db.Database.ExecuteSqlAsync($"INSERT INTO actors (name, updated_at) VALUES ('旧演员', {created})");
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO resource_actors (resource_id, actor_id)
                SELECT r.id, a.id FROM resources r, actors a WHERE r.avid = 'OLD-001' AND a.name = '旧演员'
                """);
            await db.Database.ExecuteSqlAsync($"INSERT INTO source_cookies (source, cookie, updated_at) VALUES ('jable', 'k=v', {created})");
        }

        await using (var db = new CatalogDbContext(scratch.Options))
        {
            await db.Database.MigrateAsync();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            var resource = await db.Resources.Include(r => r.ActorLinks).ThenInclude(l => l.Actor).SingleAsync();
            Assert.Equal("OLD-001", resource.Avid);
            Assert.Equal("旧标题", resource.OriginalTitle);
            Assert.Equal("completed", resource.TranslationStatus);
            Assert.Equal(created, DateTime.SpecifyKind(resource.MetadataCreatedAt!.Value, DateTimeKind.Utc));
            Assert.Equal("旧演员", Assert.Single(resource.ActorLinks).Actor.Name);
            Assert.Equal("k=v", (await db.SourceCookies.SingleAsync()).Cookie);
            Assert.Empty(await db.UserSettings.ToListAsync());
        }
    }
}

/// <summary>A database at version 0003 (the lifecycle) with a resource and a saga row upgrades to 0004 (translation_error).</summary>
public sealed class MigrationUpgradeTo0004Tests
{
    [Theory]
    [InlineData(DbKind.Sqlite)]
    [InlineData(DbKind.Postgres)]
    public async Task Upgrading_from_0003_keeps_rows_and_adds_translation_error(DbKind kind)
    {
        await using var scratch = await ScratchDatabase.CreateAsync(kind);
        var at = new DateTime(2026, 11, 1, 2, 3, 4, DateTimeKind.Utc);
        var id = Guid.NewGuid();
        await using (var db = new CatalogDbContext(scratch.Options))
        {
            await db.GetService<IMigrator>().MigrateAsync(M0003_SourceHealthAndLifecycle.Id);
            var no = false;
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO resources (avid, original_title, translation_status, source, release_date, file_exists, watched, is_favorite,
                                       metadata_created_at, metadata_updated_at, created_at)
                VALUES ('OLD-004', '旧标题', 'failed', 'Jable', '', {no}, {no}, {no}, {at}, {at}, {at})
                """);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO resource_lifecycles (correlation_id, current_state, avid, requested_at) VALUES ({id}, 'Ready', 'OLD-004', {at})
                """);
        }
        await using (var db = new CatalogDbContext(scratch.Options))
        {
            await db.Database.MigrateAsync();
            Assert.Contains(M0004_TranslationError.Id, await db.Database.GetAppliedMigrationsAsync());
            var resource = await db.Resources.SingleAsync();
            Assert.Equal(("OLD-004", "failed", (string?)null), (resource.Avid, resource.TranslationStatus, resource.TranslationError));
            resource.TranslationError = "kept";
            await db.SaveChangesAsync();
            var saga = await db.ResourceLifecycles.SingleAsync();
            Assert.Equal(("Ready", false), (saga.CurrentState, saga.ForceTranslation));
        }
        await using (var db = new CatalogDbContext(scratch.Options))
            Assert.Equal("kept", (await db.Resources.SingleAsync()).TranslationError);
    }
}

/// <summary>A database at version 0004 with a resource and a saga row upgrades to 0005 (the saga's download columns).</summary>
public sealed class MigrationUpgradeTo0005Tests
{
    [Theory]
    [InlineData(DbKind.Sqlite)]
    [InlineData(DbKind.Postgres)]
    public async Task Upgrading_from_0004_keeps_saga_rows_with_no_download(DbKind kind)
    {
        await using var scratch = await ScratchDatabase.CreateAsync(kind);
        var at = new DateTime(2026, 11, 2, 3, 4, 5, DateTimeKind.Utc);
        var id = Guid.NewGuid();
        await using (var db = new CatalogDbContext(scratch.Options))
        {
            await db.GetService<IMigrator>().MigrateAsync(M0004_TranslationError.Id);
            var no = false;
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO resources (avid, original_title, translation_status, source, release_date, file_exists, watched, is_favorite,
                                       metadata_created_at, metadata_updated_at, created_at, m3u8)
                VALUES ('OLD-005', '旧标题', 'completed', 'Jable', '', {no}, {no}, {no}, {at}, {at}, {at}, 'https://cdn.example/old.m3u8')
                """);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO resource_lifecycles (correlation_id, current_state, avid, requested_at, force_translation)
                VALUES ({id}, 'Ready', 'OLD-005', {at}, {no})
                """);
        }
        await using (var db = new CatalogDbContext(scratch.Options))
        {
            await db.Database.MigrateAsync();
            Assert.Contains(M0005_Downloads.Id, await db.Database.GetAppliedMigrationsAsync());
            var saga = await db.ResourceLifecycles.SingleAsync();
            Assert.Equal(("Ready", "OLD-005", (string?)null, 0L, false, (DateTime?)null),
                (saga.CurrentState, saga.Avid, saga.DownloadTaskId, saga.DownloadEpoch, saga.DownloadMock, saga.DownloadQueuedAt));
            saga.DownloadTaskId = "t-1";
            saga.DownloadEpoch = 7;
            saga.CurrentState = "Downloading";
            await db.SaveChangesAsync();
        }
        await using (var db = new CatalogDbContext(scratch.Options))
        {
            var saga = await db.ResourceLifecycles.SingleAsync();
            Assert.Equal(("Downloading", "t-1", 7L), (saga.CurrentState, saga.DownloadTaskId, saga.DownloadEpoch));
            Assert.Equal("https://cdn.example/old.m3u8", (await db.Resources.SingleAsync()).M3u8);
        }
    }
}

/// <summary>0007 → 0008: the source page moves from the saga row to the resource row (the download's Referer).</summary>
public sealed class MigrationUpgradeTo0008Tests
{
    [Theory]
    [InlineData(DbKind.Sqlite)]
    [InlineData(DbKind.Postgres)]
    public async Task Upgrading_from_0007_copies_the_sagas_source_page_to_the_row(DbKind kind)
    {
        await using var scratch = await ScratchDatabase.CreateAsync(kind);
        var at = new DateTime(2026, 12, 2, 3, 4, 5, DateTimeKind.Utc);
        await using (var db = new CatalogDbContext(scratch.Options))
        {
            await db.GetService<IMigrator>().MigrateAsync(M0007_LifecycleRepairs.Id);
            var no = false;
            foreach (var avid in new[] { "OLD-008", "OLD-009" })
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO resources (avid, original_title, translation_status, source, release_date, file_exists, watched, is_favorite,
                                           metadata_created_at, metadata_updated_at, created_at, m3u8)
                    VALUES ({avid}, '旧标题', 'completed', 'Jable', '', {no}, {no}, {no}, {at}, {at}, {at}, 'https://cdn.example/old.m3u8')
                    """);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO resource_lifecycles (correlation_id, current_state, avid, requested_at, force_translation, source_page_url)
                VALUES ({Guid.NewGuid()}, 'Ready', 'OLD-008', {at}, {no}, 'https://src.example/v/OLD-008')
                """);
        }
        await using (var db = new CatalogDbContext(scratch.Options))
        {
            await db.Database.MigrateAsync();
            var rows = await db.Resources.OrderBy(r => r.Avid).Select(r => r.SourcePageUrl).ToListAsync();
            Assert.Equal(["https://src.example/v/OLD-008", null], rows);
            Assert.Equal("Ready", (await db.ResourceLifecycles.SingleAsync()).CurrentState);
        }
    }
}
