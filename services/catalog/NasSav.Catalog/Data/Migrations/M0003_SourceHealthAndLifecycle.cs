using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NasSav.Catalog.Data.Migrations;

/// <summary>
/// Version 3: per-source health (GET /source/health) and the lifecycle saga's table (one row per AVID,
/// keyed by its UUIDv5 correlation id; a column per <c>ResourceLifecycle</c> property).
/// </summary>
[DbContext(typeof(CatalogDbContext))]
[Migration(Id)]
public sealed class M0003_SourceHealthAndLifecycle : Migration
{
    public const string Id = "20261123000000_SourceHealthAndLifecycle";

    protected override void Up(MigrationBuilder m)
    {
        m.CreateTable("source_health", t => new
        {
            source = t.Column<string>(maxLength: 128, nullable: false),
            last_success_at = t.Column<DateTime>(nullable: true),
            last_error_at = t.Column<DateTime>(nullable: true),
            last_error = t.Column<string>(maxLength: 1000, nullable: true),
            success_count = t.Column<long>(nullable: false, defaultValue: 0L),
            failure_count = t.Column<long>(nullable: false, defaultValue: 0L),
        }, constraints: t => t.PrimaryKey("pk_source_health", x => x.source));

        m.CreateTable("resource_lifecycles", t => new
        {
            correlation_id = t.Column<Guid>(nullable: false),
            current_state = t.Column<string>(maxLength: 64, nullable: false),
            version = t.Column<int>(nullable: false, defaultValue: 0),
            avid = t.Column<string>(maxLength: 50, nullable: false),
            requested_source = t.Column<string>(maxLength: 128, nullable: false, defaultValue: "any"),
            source = t.Column<string>(maxLength: 128, nullable: true),
            source_page_url = t.Column<string>(nullable: true),
            source_cover_url = t.Column<string>(nullable: true),
            is_refresh = t.Column<bool>(nullable: false, defaultValue: false),
            refresh_m3u8 = t.Column<bool>(nullable: false, defaultValue: false),
            refresh_metadata = t.Column<bool>(nullable: false, defaultValue: false),
            retranslate = t.Column<bool>(nullable: false, defaultValue: false),
            m3u8_updated = t.Column<bool>(nullable: false, defaultValue: false),
            metadata_found = t.Column<bool>(nullable: false, defaultValue: false),
            cover_saved = t.Column<bool>(nullable: false, defaultValue: false),
            translation_queued = t.Column<bool>(nullable: false, defaultValue: false),
            requested_at = t.Column<DateTime>(nullable: false),
            source_resolved_at = t.Column<DateTime>(nullable: true),
            metadata_completed_at = t.Column<DateTime>(nullable: true),
            translation_completed_at = t.Column<DateTime>(nullable: true),
            ready_at = t.Column<DateTime>(nullable: true),
            failed_at = t.Column<DateTime>(nullable: true),
            step_deadline = t.Column<DateTime>(nullable: true),
            failed_step = t.Column<string>(maxLength: 32, nullable: true),
            failure_reason = t.Column<string>(nullable: true),
            failure_code = t.Column<int>(nullable: true),
            pending_request_id = t.Column<Guid>(nullable: true),
            pending_response_address = t.Column<string>(nullable: true),
            pending_kind = t.Column<string>(maxLength: 16, nullable: true),
            step_timeout_token_id = t.Column<Guid>(nullable: true),
        }, constraints: t => t.PrimaryKey("pk_resource_lifecycles", x => x.correlation_id));
        m.CreateIndex("ix_resource_lifecycles_avid", "resource_lifecycles", "avid", unique: true);
        m.CreateIndex("ix_resource_lifecycles_current_state", "resource_lifecycles", "current_state");
    }

    protected override void Down(MigrationBuilder m)
    {
        m.DropTable("resource_lifecycles");
        m.DropTable("source_health");
    }
}
