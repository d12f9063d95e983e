using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NasSav.Coordination.Locking.Fencing.Migrations;

/// <summary>Version 1: <c>fencing_epochs</c> (name PK, epoch, holder, updated_at).</summary>
[DbContext(typeof(FencingDbContext))]
[Migration(Id)]
public sealed class M0001_FencingEpochs : Migration
{
    public const string Id = "20261125000000_FencingEpochs";

    protected override void Up(MigrationBuilder m)
    {
        m.CreateTable("fencing_epochs", t => new
        {
            name = t.Column<string>(maxLength: 200, nullable: false),
            epoch = t.Column<long>(nullable: false),
            holder = t.Column<string>(maxLength: 300, nullable: false),
            updated_at = t.Column<DateTimeOffset>(nullable: false),
        }, constraints: t => t.PrimaryKey("pk_fencing_epochs", x => x.name));
    }

    protected override void Down(MigrationBuilder m) => m.DropTable("fencing_epochs");
}
