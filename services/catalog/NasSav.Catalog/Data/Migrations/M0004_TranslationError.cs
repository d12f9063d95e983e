using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NasSav.Catalog.Data.Migrations;

/// <summary>
/// Version 4: the reason of the last failed translation (<c>resources.translation_error</c>, shown by
/// /resource/metadata and /resource/{avid}/preview), an index on <c>translation_status</c> (batch
/// retranslation selects by it) and the saga's <c>force_translation</c> flag (TranslateTitle.Force).
/// </summary>
[DbContext(typeof(CatalogDbContext))]
[Migration(Id)]
public sealed class M0004_TranslationError : Migration
{
    public const string Id = "20261124000000_TranslationError";

    protected override void Up(MigrationBuilder m)
    {
        m.AddColumn<string>("translation_error", "resources", maxLength: 1000, nullable: true);
        m.CreateIndex("ix_resources_translation_status", "resources", "translation_status");
        m.AddColumn<bool>("force_translation", "resource_lifecycles", nullable: false, defaultValue: false);
    }

    protected override void Down(MigrationBuilder m)
    {
        m.DropColumn("force_translation", "resource_lifecycles");
        m.DropIndex("ix_resources_translation_status", "resources");
        m.DropColumn("translation_error", "resources");
    }
}
