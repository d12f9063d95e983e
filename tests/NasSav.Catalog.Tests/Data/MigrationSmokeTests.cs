using Microsoft.EntityFrameworkCore;
using NasSav.Catalog.Data.Migrations;

namespace NasSav.Catalog.Tests.Data;

public sealed class MigrationSmokeTests
{
    [Theory]
    [InlineData(DbKind.Sqlite)]
    [InlineData(DbKind.Postgres)]
    public async Task Host_start_creates_the_schema_in_the_configured_database(DbKind kind)
    {
        await using var app = await CatalogApp.StartAsync(kind);
        var applied = await app.WithDbAsync(async db => (await db.Database.GetAppliedMigrationsAsync()).ToList());
        Assert.Equal([M0001_InitialLibrary.Id, M0002_UserSettingsAndCreatedIndex.Id, M0003_SourceHealthAndLifecycle.Id, M0004_TranslationError.Id, M0005_Downloads.Id, M0006_Outbox.Id, M0007_LifecycleRepairs.Id, M0008_SourcePageOnResource.Id], applied);
        if (kind == DbKind.Sqlite) Assert.True(File.Exists(Path.Combine(app.DataRoot, "nassav.db")));
        else Assert.True(await app.WithDbAsync(db => Task.FromResult(db.Database.IsNpgsql())));
    }
}
