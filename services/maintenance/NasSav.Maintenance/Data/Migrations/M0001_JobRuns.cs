using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NasSav.Maintenance.Data.Migrations;

/// <summary>
/// Version 1: maintenance_runs. Written by hand (EF design tooling does not restore here); one class for SQLite
/// and PostgreSQL. Two partial unique indexes make the claims: one running run per job (cluster-wide), and one
/// run per job and cron slot (two instances firing the same slot cannot both run it, even one after the other).
/// </summary>
[DbContext(typeof(MaintenanceDbContext))]
[Migration(Id)]
public sealed class M0001_JobRuns : Migration
{
    public const string Id = "20261201000000_MaintenanceJobRuns";

    protected override void Up(MigrationBuilder m)
    {
        m.CreateTable("maintenance_runs", t => new
        {
            id = t.Column<long>(nullable: false)
                .Annotation("Sqlite:Autoincrement", true)
                .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
            job = t.Column<string>(maxLength: 64, nullable: false),
            trigger = t.Column<string>(maxLength: 16, nullable: false),
            apply = t.Column<bool>(nullable: false),
            status = t.Column<string>(maxLength: 16, nullable: false),
            scheduled_for = t.Column<DateTime>(nullable: true),
            started_at = t.Column<DateTime>(nullable: false),
            heartbeat_at = t.Column<DateTime>(nullable: false),
            ended_at = t.Column<DateTime>(nullable: true),
            owner = t.Column<string>(maxLength: 200, nullable: false),
            message = t.Column<string>(maxLength: 2000, nullable: true),
            counts = t.Column<string>(nullable: true),
            report = t.Column<string>(nullable: true),
            log = t.Column<string>(nullable: true),
        }, constraints: t => t.PrimaryKey("pk_maintenance_runs", x => x.id));
        m.CreateIndex("ux_maintenance_runs_running", "maintenance_runs", "job", unique: true, filter: "status = 'running'");
        m.CreateIndex("ux_maintenance_runs_slot", "maintenance_runs", ["job", "scheduled_for"], unique: true, filter: "scheduled_for IS NOT NULL");
        m.CreateIndex("ix_maintenance_runs_job_started", "maintenance_runs", ["job", "started_at"]);
        m.CreateIndex("ix_maintenance_runs_started", "maintenance_runs", "started_at");
    }

    protected override void Down(MigrationBuilder m) => m.DropTable("maintenance_runs");
}
