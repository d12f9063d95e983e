using System.Runtime.CompilerServices;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace NasSav.Sagas;

/// <summary>
/// Where <typeparamref name="TSaga"/> lives in a DbContext's model: table, key column and every column of
/// the table, quoted for the provider. Read from the EF model (the repository never owns the schema) and
/// cached per model (EF builds one model per DbContext type and provider).
/// </summary>
internal sealed class SagaTableMapping<TSaga> where TSaga : class, ISaga
{
    private static readonly ConditionalWeakTable<IModel, SagaTableMapping<TSaga>> Cache = new();

    public required string Table { get; init; }
    public required string QuotedTable { get; init; }
    public required string QuotedKeyColumn { get; init; }
    public required string QuotedColumns { get; init; }
    public bool Versioned { get; init; }

    /// <summary>PostgreSQL row lock on one instance; the id is parameter {0}.</summary>
    public string SelectForUpdateSql => $"SELECT {QuotedColumns} FROM {QuotedTable} WHERE {QuotedKeyColumn} = {{0}} FOR UPDATE";

    public static SagaTableMapping<TSaga> For(DbContext db) =>
        Cache.GetValue(db.Model, _ => Create(db));

    private static SagaTableMapping<TSaga> Create(DbContext db)
    {
        var entity = db.Model.FindEntityType(typeof(TSaga))
            ?? throw new InvalidOperationException(
                $"{db.GetType().Name} does not map the saga {typeof(TSaga).Name}: add modelBuilder.Entity<{typeof(TSaga).Name}>(e => e.MapSagaInstance()...).");
        var table = entity.GetTableName()
            ?? throw new InvalidOperationException($"The saga {typeof(TSaga).Name} is not mapped to a table in {db.GetType().Name}.");
        var schema = entity.GetSchema();
        var store = StoreObjectIdentifier.Table(table, schema);

        var key = entity.FindPrimaryKey();
        var correlation = entity.FindProperty(nameof(ISaga.CorrelationId));
        if (key is null || correlation is null || key.Properties.Count != 1 || key.Properties[0] != correlation)
            throw new InvalidOperationException(
                $"The saga {typeof(TSaga).Name} must have CorrelationId as its only primary key (use MapSagaInstance()).");

        var versioned = typeof(ISagaVersion).IsAssignableFrom(typeof(TSaga));
        if (versioned && entity.FindProperty(nameof(ISagaVersion.Version)) is not { IsConcurrencyToken: true })
            throw new InvalidOperationException(
                $"The saga {typeof(TSaga).Name} implements ISagaVersion: map Version as a concurrency token (MapSagaInstance() does).");

        var sql = db.GetService<ISqlGenerationHelper>();
        var columns = entity.GetTableMappings().First().Table.Columns.Select(c => sql.DelimitIdentifier(c.Name));
        return new SagaTableMapping<TSaga>
        {
            Table = table,
            QuotedTable = sql.DelimitIdentifier(table, schema),
            QuotedKeyColumn = sql.DelimitIdentifier(correlation.GetColumnName(store)!),
            QuotedColumns = string.Join(", ", columns),
            Versioned = versioned,
        };
    }
}
