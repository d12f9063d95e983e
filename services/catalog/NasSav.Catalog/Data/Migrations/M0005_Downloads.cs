using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NasSav.Catalog.Data.Migrations;

/// <summary>
/// Version 5: the lifecycle saga carries the AVID's download (task id, highest fencing epoch, mock flag,
/// queued/started/ended times, instance, last error). The queue reads the saga table by current_state,
/// which M0003 already indexed.
/// </summary>
[DbContext(typeof(CatalogDbContext))]
[Migration(Id)]
public sealed class M0005_Downloads : Migration
{
    public const string Id = "20261125000000_Downloads";

    private const string Table = "resource_lifecycles";

    protected override void Up(MigrationBuilder m)
    {
        m.AddColumn<string>("download_task_id", Table, maxLength: 64, nullable: true);
        m.AddColumn<long>("download_epoch", Table, nullable: false, defaultValue: 0L);
        m.AddColumn<bool>("download_mock", Table, nullable: false, defaultValue: false);
        m.AddColumn<DateTime>("download_queued_at", Table, nullable: true);
        m.AddColumn<DateTime>("download_started_at", Table, nullable: true);
        m.AddColumn<DateTime>("download_ended_at", Table, nullable: true);
        m.AddColumn<string>("download_instance", Table, maxLength: 256, nullable: true);
        m.AddColumn<string>("download_error", Table, nullable: true);
    }

    protected override void Down(MigrationBuilder m)
    {
        foreach (var column in new[] { "download_error", "download_instance", "download_ended_at", "download_started_at", "download_queued_at",
                     "download_mock", "download_epoch", "download_task_id" })
            m.DropColumn(column, Table);
    }
}
