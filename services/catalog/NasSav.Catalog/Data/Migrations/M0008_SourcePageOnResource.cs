using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NasSav.Catalog.Data.Migrations;

/// <summary>
/// Version 8: the source page (the stream's Referer) moves from the lifecycle saga to the row
/// (<c>resources.source_page_url</c>). Kept only in the saga, it was missing from the download of a row whose
/// lifecycle was lost, imported or older than the lifecycle. Existing values are copied from the saga rows; the
/// saga's column goes, so the fact has one home.
/// </summary>
[DbContext(typeof(CatalogDbContext))]
[Migration(Id)]
public sealed class M0008_SourcePageOnResource : Migration
{
    public const string Id = "20261220000000_SourcePageOnResource";

    protected override void Up(MigrationBuilder m)
    {
        m.AddColumn<string>("source_page_url", "resources", nullable: true);
        m.Sql("""
            UPDATE resources SET source_page_url =
                (SELECT l.source_page_url FROM resource_lifecycles l WHERE l.avid = resources.avid)
            WHERE source_page_url IS NULL
            """);
        // Plain SQL on both providers (SQLite has DROP COLUMN since 3.35; EF would rebuild the table from a model
        // these hand-written migrations do not carry).
        m.Sql("ALTER TABLE resource_lifecycles DROP COLUMN source_page_url");
    }

    protected override void Down(MigrationBuilder m)
    {
        m.AddColumn<string>("source_page_url", "resource_lifecycles", nullable: true);
        m.Sql("""
            UPDATE resource_lifecycles SET source_page_url =
                (SELECT r.source_page_url FROM resources r WHERE r.avid = resource_lifecycles.avid)
            """);
        m.DropColumn("source_page_url", "resources");
    }
}
