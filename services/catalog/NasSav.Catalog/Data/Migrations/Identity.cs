using Microsoft.EntityFrameworkCore.Migrations.Operations.Builders;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace NasSav.Catalog.Data.Migrations;

internal static class MigrationColumnExtensions
{
    /// <summary>An auto-increment key on both providers (each ignores the other's annotation).</summary>
    public static OperationBuilder<AddColumnOperation> Identity(this OperationBuilder<AddColumnOperation> column) =>
        column.Annotation("Sqlite:Autoincrement", true)
              .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn);
}
