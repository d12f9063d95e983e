using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using NasSav.Sagas.Outbox;

namespace NasSav.Catalog.Data.Migrations;

/// <summary>
/// Version 6: the transactional outbox (messages the saga and the endpoints publish, written in their transaction,
/// including the lifecycle's step timeouts as due rows) and the inbox (message ids already consumed per endpoint).
/// </summary>
[DbContext(typeof(CatalogDbContext))]
[Migration(Id)]
public sealed class M0006_Outbox : Migration
{
    public const string Id = "20261210000000_Outbox";

    protected override void Up(MigrationBuilder m) => m.CreateOutboxTables();

    protected override void Down(MigrationBuilder m) => m.DropOutboxTables();
}
