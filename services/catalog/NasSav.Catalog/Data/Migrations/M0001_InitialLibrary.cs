using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NasSav.Catalog.Data.Migrations;

/// <summary>
/// Version 1: resources, actors, genres, their links and source cookies. Written by hand (EF design
/// tooling does not restore here); column types come from each provider's mapping of the CLR type, so
/// one class serves SQLite and PostgreSQL.
/// </summary>
[DbContext(typeof(CatalogDbContext))]
[Migration(Id)]
public sealed class M0001_InitialLibrary : Migration
{
    /// <summary>EF finds a migration by id only in its yyyyMMddHHmmss_Name form.</summary>
    public const string Id = "20261101000000_InitialLibrary";

    protected override void Up(MigrationBuilder m)
    {
        m.CreateTable("resources", t => new
        {
            id = t.Column<long>(nullable: false).Identity(),
            avid = t.Column<string>(maxLength: 50, nullable: false),
            original_title = t.Column<string>(maxLength: 512, nullable: false, defaultValue: ""),
            source_title = t.Column<string>(maxLength: 512, nullable: true),
            translated_title = t.Column<string>(maxLength: 512, nullable: true),
            translation_status = t.Column<string>(maxLength: 20, nullable: false, defaultValue: "pending"),
            source = t.Column<string>(maxLength: 128, nullable: false, defaultValue: ""),
            release_date = t.Column<string>(maxLength: 64, nullable: false, defaultValue: ""),
            duration = t.Column<int>(nullable: true),
            metadata = t.Column<string>(nullable: true),
            m3u8 = t.Column<string>(nullable: true),
            cover_filename = t.Column<string>(maxLength: 255, nullable: true),
            file_exists = t.Column<bool>(nullable: false, defaultValue: false),
            file_size = t.Column<long>(nullable: true),
            watched = t.Column<bool>(nullable: false, defaultValue: false),
            is_favorite = t.Column<bool>(nullable: false, defaultValue: false),
            metadata_created_at = t.Column<DateTime>(nullable: true),
            metadata_updated_at = t.Column<DateTime>(nullable: false),
            video_saved_at = t.Column<DateTime>(nullable: true),
            created_at = t.Column<DateTime>(nullable: false),
        }, constraints: t => t.PrimaryKey("pk_resources", x => x.id));
        m.CreateIndex("ix_resources_avid", "resources", "avid", unique: true);
        m.CreateIndex("ix_resources_source", "resources", "source");
        m.CreateIndex("ix_resources_file_exists", "resources", "file_exists");
        m.CreateIndex("ix_resources_metadata_updated_at", "resources", "metadata_updated_at");

        m.CreateTable("actors", t => new
        {
            id = t.Column<long>(nullable: false).Identity(),
            name = t.Column<string>(maxLength: 200, nullable: false),
            avatar_url = t.Column<string>(maxLength: 1000, nullable: true),
            avatar_filename = t.Column<string>(maxLength: 255, nullable: true),
            updated_at = t.Column<DateTime>(nullable: false),
        }, constraints: t => t.PrimaryKey("pk_actors", x => x.id));
        m.CreateIndex("ix_actors_name", "actors", "name", unique: true);

        m.CreateTable("genres", t => new
        {
            id = t.Column<long>(nullable: false).Identity(),
            name = t.Column<string>(maxLength: 100, nullable: false),
        }, constraints: t => t.PrimaryKey("pk_genres", x => x.id));
        m.CreateIndex("ix_genres_name", "genres", "name", unique: true);

        m.CreateTable("resource_actors", t => new
        {
            resource_id = t.Column<long>(nullable: false),
            actor_id = t.Column<long>(nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("pk_resource_actors", x => new { x.resource_id, x.actor_id });
            t.ForeignKey("fk_resource_actors_resource", x => x.resource_id, "resources", "id", onDelete: ReferentialAction.Cascade);
            t.ForeignKey("fk_resource_actors_actor", x => x.actor_id, "actors", "id", onDelete: ReferentialAction.Cascade);
        });
        m.CreateIndex("ix_resource_actors_actor_id", "resource_actors", "actor_id");

        m.CreateTable("resource_genres", t => new
        {
            resource_id = t.Column<long>(nullable: false),
            genre_id = t.Column<long>(nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("pk_resource_genres", x => new { x.resource_id, x.genre_id });
            t.ForeignKey("fk_resource_genres_resource", x => x.resource_id, "resources", "id", onDelete: ReferentialAction.Cascade);
            t.ForeignKey("fk_resource_genres_genre", x => x.genre_id, "genres", "id", onDelete: ReferentialAction.Cascade);
        });
        m.CreateIndex("ix_resource_genres_genre_id", "resource_genres", "genre_id");

        m.CreateTable("source_cookies", t => new
        {
            source = t.Column<string>(maxLength: 50, nullable: false),
            cookie = t.Column<string>(nullable: false, defaultValue: ""),
            updated_at = t.Column<DateTime>(nullable: false),
        }, constraints: t => t.PrimaryKey("pk_source_cookies", x => x.source));
    }

    protected override void Down(MigrationBuilder m)
    {
        m.DropTable("source_cookies");
        m.DropTable("resource_genres");
        m.DropTable("resource_actors");
        m.DropTable("genres");
        m.DropTable("actors");
        m.DropTable("resources");
    }
}
