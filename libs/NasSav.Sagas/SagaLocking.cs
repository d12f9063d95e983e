using System.Collections.Concurrent;
using System.Data;
using MassTransit;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace NasSav.Sagas;

/// <summary>
/// How one provider isolates a saga message: the transaction it opens and how it loads an instance so
/// that no other message for the same instance can read-modify-write it before this one commits.
/// </summary>
internal abstract class SagaLocking
{
    private static readonly SagaLocking PostgresLocking = new Postgres();
    private static readonly SagaLocking SqliteLocking = new Sqlite();

    public static SagaLocking For(DbContext db)
    {
        if (db.Database.IsNpgsql()) return PostgresLocking;
        if (db.Database.IsSqlite()) return SqliteLocking;
        throw new NotSupportedException(
            $"The EF saga repository supports PostgreSQL and SQLite; {db.GetType().Name} uses {db.Database.ProviderName}.");
    }

    /// <summary>Opens the transaction one saga message runs in.</summary>
    public abstract Task<SagaTransaction> BeginAsync(DbContext db, CancellationToken ct);

    /// <summary>Loads and tracks the instance, locked for the rest of the transaction; null if it does not exist.</summary>
    public abstract Task<TSaga?> LoadForUpdateAsync<TSaga>(DbContext db, Guid correlationId, CancellationToken ct) where TSaga : class, ISaga;

    /// <summary>
    /// PostgreSQL: READ COMMITTED and <c>SELECT ... FOR UPDATE</c> on the saga row. A second message for the
    /// same instance blocks on the row until the first commits, then reads the committed row (or nothing if it
    /// was deleted). A first insert is not locked by anything: two racing inserts of one CorrelationId end in a
    /// unique violation for the later one, which the repository turns into <see cref="ConcurrencyException"/>
    /// for the retry policy.
    /// </summary>
    private sealed class Postgres : SagaLocking
    {
        public override async Task<SagaTransaction> BeginAsync(DbContext db, CancellationToken ct) =>
            new(await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct), null);

        public override async Task<TSaga?> LoadForUpdateAsync<TSaga>(DbContext db, Guid correlationId, CancellationToken ct) where TSaga : class
        {
            var map = SagaTableMapping<TSaga>.For(db);
            // Not composed further (ToList), so EF sends the statement as written, FOR UPDATE included.
            var rows = await db.Set<TSaga>().FromSqlRaw(map.SelectForUpdateSql, correlationId).AsTracking().ToListAsync(ct);
            return rows.SingleOrDefault();
        }
    }

    /// <summary>
    /// SQLite has no row locks: <c>BEGIN IMMEDIATE</c> takes the database's single write lock before the first
    /// read, so saga messages on one database run one at a time (others wait up to the connection's busy
    /// timeout, then fail with SQLITE_BUSY for the retry policy). Under a deferred transaction two messages
    /// could both read the old row and the later writer would fail or, in WAL mode, read a stale snapshot.
    /// </summary>
    private sealed class Sqlite : SagaLocking
    {
        // One gate per database file in this process. Microsoft.Data.Sqlite waits for a busy database by
        // sleeping on the calling thread; awaiting the gate first keeps this process's saga messages off the
        // thread pool while they queue, leaving the busy wait to writers from elsewhere.
        private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

        public override async Task<SagaTransaction> BeginAsync(DbContext db, CancellationToken ct)
        {
            var connection = (SqliteConnection)db.Database.GetDbConnection();
            var gate = GateFor(connection);
            if (gate is not null) await gate.WaitAsync(ct);
            try
            {
                await db.Database.OpenConnectionAsync(ct);
                try
                {
                    var transaction = connection.BeginTransaction(deferred: false);
                    try
                    {
                        var ef = await db.Database.UseTransactionAsync(transaction, ct)
                                 ?? throw new InvalidOperationException("EF did not accept the SQLite transaction");
                        return new SagaTransaction(ef, async () =>
                        {
                            try
                            {
                                await transaction.DisposeAsync();
                                await db.Database.CloseConnectionAsync();
                            }
                            finally
                            {
                                gate?.Release();
                            }
                        });
                    }
                    catch
                    {
                        await transaction.DisposeAsync();
                        throw;
                    }
                }
                catch
                {
                    await db.Database.CloseConnectionAsync();
                    throw;
                }
            }
            catch
            {
                gate?.Release();
                throw;
            }
        }

        private static SemaphoreSlim? GateFor(SqliteConnection connection)
        {
            var source = new SqliteConnectionStringBuilder(connection.ConnectionString).DataSource;
            if (string.IsNullOrEmpty(source) || source.Contains(":memory:", StringComparison.OrdinalIgnoreCase)
                || source.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
                return null;
            return Gates.GetOrAdd(Path.GetFullPath(source), _ => new SemaphoreSlim(1, 1));
        }

        public override Task<TSaga?> LoadForUpdateAsync<TSaga>(DbContext db, Guid correlationId, CancellationToken ct) where TSaga : class =>
            db.Set<TSaga>().AsTracking().SingleOrDefaultAsync(x => x.CorrelationId == correlationId, ct);
    }
}

/// <summary>The transaction of one saga message; <see cref="DisposeAsync"/> rolls back unless committed.</summary>
internal sealed class SagaTransaction(IDbContextTransaction transaction, Func<ValueTask>? release) : IAsyncDisposable
{
    public Task CommitAsync(CancellationToken ct) => transaction.CommitAsync(ct);

    public async Task RollbackAsync()
    {
        try
        {
            await transaction.RollbackAsync(CancellationToken.None);
        }
        catch (Exception)
        {
            // The connection may already be broken; disposing the transaction ends it either way.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        if (release is not null) await release();
    }
}
