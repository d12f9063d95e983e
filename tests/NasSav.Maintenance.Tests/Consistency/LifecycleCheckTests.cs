using Microsoft.EntityFrameworkCore;
using NasSav.Catalog.Lifecycle;
using NasSav.Maintenance.Tests.Support;
using NasSav.Media.Avids;
using NasSav.Testing;

namespace NasSav.Maintenance.Tests.Consistency;

public sealed class LifecycleCheckTests
{
    [Theory, BothDatabases]
    public async Task Reports_failed_lifecycles_and_rows_without_metadata_and_apply_resumes_them(DbKind kind)
    {
        await using var app = await MaintenanceApp.StartAsync(kind);
        await app.CatalogAsync(async db =>
        {
            await Seed.ResourceAsync(db, "LFC-001", configure: r => { r.OriginalTitle = ""; r.M3u8 = "https://cdn.example/lfc-001/index.m3u8"; });
            await Seed.ResourceAsync(db, "LFC-003");
            db.ResourceLifecycles.Add(new ResourceLifecycle
            {
                CorrelationId = Avid.Parse("LFC-002").CorrelationId, Avid = "LFC-002", CurrentState = "Failed", Version = 1,
                FailedStep = "source", FailureCode = 404, FailureReason = "获取LFC-002失败。MissAV:404", RequestedAt = DateTime.UtcNow,
            });
            await db.SaveChangesAsync();
        });

        var dry = (await app.ReportAsync((await app.RunJobAsync("check-lifecycles", apply: false)).GetProperty("id").GetInt64()))
            .GetProperty("details").EnumerateArray().ToList();
        Assert.Equal(2, dry.Count);
        var failed = Assert.Single(dry, d => d.GetProperty("avid").GetString() == "LFC-002");
        Assert.Equal("lifecycle_failed", failed.GetProperty("kind").GetString());
        Assert.Equal("获取LFC-002失败。MissAV:404", failed.GetProperty("reason").GetString());
        Assert.Equal("metadata_missing", Assert.Single(dry, d => d.GetProperty("avid").GetString() == "LFC-001").GetProperty("kind").GetString());

        var applied = (await app.ReportAsync((await app.RunJobAsync("check-lifecycles", apply: true)).GetProperty("id").GetInt64()))
            .GetProperty("details").EnumerateArray().ToList();
        Assert.All(applied, d => Assert.Equal("fixed", d.GetProperty("action").GetString()));
        // Resumed: LFC-001 got a lifecycle (its metadata step), LFC-002 left Failed for its source step.
        await Wait.UntilAsync(async () => await app.CatalogAsync(db => db.ResourceLifecycles.AnyAsync(x => x.Avid == "LFC-001"))
            && await app.CatalogAsync(db => db.ResourceLifecycles.AnyAsync(x => x.Avid == "LFC-002" && x.RepairAttempts == 1)),
            MaintenanceApp.Patience, "both lifecycles to be resumed");
    }
}
