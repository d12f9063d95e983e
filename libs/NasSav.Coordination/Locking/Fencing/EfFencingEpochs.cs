using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace NasSav.Coordination.Locking.Fencing;

/// <summary>
/// Fencing epochs in the service's database (PostgreSQL or SQLite), not in Redis: a database commit is
/// durable, while a Redis INCR can be lost on a restart without persistence and would hand out an epoch
/// twice (anchors §3.3).
/// </summary>
public sealed class EfFencingEpochs(IServiceScopeFactory scopes, TimeProvider? clock = null) : IFencingEpochs
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    // One gate per (SQLite file, name) in this process; see RunIfCurrentAsync.
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> SqliteGates = new(StringComparer.Ordinal);

    // One statement on both providers (SQLite >= 3.35 has RETURNING): atomic, and on PostgreSQL it waits
    // for the row lock RunIfCurrentAsync holds, so a new epoch is never taken in the middle of a fenced action.
    private const string NextSql = """
        INSERT INTO fencing_epochs (name, epoch, holder, updated_at) VALUES (@name, 1, @holder, @now)
        ON CONFLICT (name) DO UPDATE SET epoch = fencing_epochs.epoch + 1, holder = excluded.holder, updated_at = excluded.updated_at
        RETURNING epoch
        """;

    public async Task<long> NextAsync(string name, string holder, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FencingDbContext>();
        var gate = SqliteGateFor(db, name);
        if (gate is not null) await gate.WaitAsync(ct);
        try
        {
            await db.Database.OpenConnectionAsync(ct);
            await using var command = Command(db, NextSql, ("name", name), ("holder", holder), ("now", _clock.GetUtcNow()));
            return Convert.ToInt64(await command.ExecuteScalarAsync(ct));
        }
        finally
        {
            gate?.Release();
        }
    }

    public async Task<long> CurrentAsync(string name, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FencingDbContext>();
        await db.Database.OpenConnectionAsync(ct);
        await using var command = Command(db, "SELECT epoch FROM fencing_epochs WHERE name = @name", ("name", name));
        return await command.ExecuteScalarAsync(ct) is { } value and not DBNull ? Convert.ToInt64(value) : 0;
    }

    /// <summary>
    /// PostgreSQL: <c>SELECT ... FOR UPDATE</c> on the epoch row, compare, run, commit; NextAsync's upsert
    /// waits on that row lock. SQLite: a process-wide gate per database file and name instead of
    /// <c>BEGIN IMMEDIATE</c>, because the action usually writes to the same SQLite file (the catalog marks the
    /// video downloaded) through another connection, which an IMMEDIATE transaction held here would block
    /// until its busy timeout. SQLite is the standalone host's database: one process, so the gate fences.
    /// </summary>
    public async Task<bool> RunIfCurrentAsync(string name, long epoch, Func<CancellationToken, Task> action, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FencingDbContext>();
        var gate = SqliteGateFor(db, name);
        if (gate is not null)
        {
            await gate.WaitAsync(ct);
            try
            {
                await db.Database.OpenConnectionAsync(ct);
                await using var read = Command(db, "SELECT epoch FROM fencing_epochs WHERE name = @name", ("name", name));
                if (await read.ExecuteScalarAsync(ct) is not { } value || value is DBNull || Convert.ToInt64(value) != epoch) return false;
                await action(ct);
                return true;
            }
            finally
            {
                gate.Release();
            }
        }

        await db.Database.OpenConnectionAsync(ct);
        await using var transaction = await db.Database.GetDbConnection().BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
        await using var select = Command(db, "SELECT epoch FROM fencing_epochs WHERE name = @name FOR UPDATE", ("name", name));
        select.Transaction = transaction;
        if (await select.ExecuteScalarAsync(ct) is not { } current || current is DBNull || Convert.ToInt64(current) != epoch)
        {
            await transaction.RollbackAsync(CancellationToken.None);
            return false;
        }
        await action(ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    private static DbCommand Command(DbContext db, string sql, params (string Name, object Value)[] parameters)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = "@" + name;
            p.Value = value;
            command.Parameters.Add(p);
        }
        return command;
    }

    private static SemaphoreSlim? SqliteGateFor(DbContext db, string name)
    {
        if (!db.Database.IsSqlite()) return null;
        var source = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
        var file = string.IsNullOrEmpty(source) || source.Contains(":memory:", StringComparison.OrdinalIgnoreCase) ? source : Path.GetFullPath(source);
        return SqliteGates.GetOrAdd(file + "\n" + name, _ => new SemaphoreSlim(1, 1));
    }
}
