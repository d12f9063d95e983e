using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NasSav.Catalog.Data.Migrations;

/// <summary>
/// Version 2: user settings move from the peer's ini file into the database; the default list sort
/// (metadata_create_time desc) gets its index; rows from version 1 without a creation time get one.
/// </summary>
[DbContext(typeof(CatalogDbContext))]
[Migration(Id)]
public sealed class M0002_UserSettingsAndCreatedIndex : Migration
{
    public const string Id = "20261122000000_UserSettingsAndCreatedIndex";

    protected override void Up(MigrationBuilder m)
    {
        m.CreateTable("user_settings", t => new
        {
            key = t.Column<string>(maxLength: 64, nullable: false),
            value = t.Column<string>(maxLength: 256, nullable: false),
            updated_at = t.Column<DateTime>(nullable: false),
        }, constraints: t => t.PrimaryKey("pk_user_settings", x => x.key));
        m.CreateIndex("ix_resources_metadata_created_at", "resources", "metadata_created_at");
        m.Sql("UPDATE resources SET metadata_created_at = created_at WHERE metadata_created_at IS NULL");
    }

    protected override void Down(MigrationBuilder m)
    {
        m.DropIndex("ix_resources_metadata_created_at", "resources");
        m.DropTable("user_settings");
    }
}
