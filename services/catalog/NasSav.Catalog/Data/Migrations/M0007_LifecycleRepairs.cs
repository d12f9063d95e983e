using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NasSav.Catalog.Data.Migrations;

/// <summary>
/// Version 7: the lifecycle watchdog counts its resumes per instance (repair_attempts, last_repair_at), so an
/// AVID whose step keeps failing is resumed automatically only a few times, then left for an operator.
/// </summary>
[DbContext(typeof(CatalogDbContext))]
[Migration(Id)]
public sealed class M0007_LifecycleRepairs : Migration
{
    public const string Id = "20261211000000_LifecycleRepairs";

    private const string Table = "resource_lifecycles";

    protected override void Up(MigrationBuilder m)
    {
        m.AddColumn<int>("repair_attempts", Table, nullable: false, defaultValue: 0);
        m.AddColumn<DateTime>("last_repair_at", Table, nullable: true);
        // The watchdog looks for overdue steps by their deadline.
        m.CreateIndex("ix_resource_lifecycles_step_deadline", Table, "step_deadline");
    }

    protected override void Down(MigrationBuilder m)
    {
        m.DropIndex("ix_resource_lifecycles_step_deadline", Table);
        m.DropColumn("last_repair_at", Table);
        m.DropColumn("repair_attempts", Table);
    }
}
