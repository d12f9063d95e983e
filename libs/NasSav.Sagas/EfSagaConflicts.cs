using MassTransit;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace NasSav.Sagas;

/// <summary>
/// Which failures of a saga message are worth retrying at once: another message for the same instance won
/// (duplicate first insert, stale version) or the database asked us to back off (deadlock, lock timeout,
/// serialization failure, SQLite busy). Business failures of activities are not in this list: they fault.
/// </summary>
public static class EfSagaConflicts
{
    /// <summary>Adds the conflict filters to a retry policy (<c>UseMessageRetry</c>).</summary>
    public static IRetryConfigurator HandleSagaConflicts(this IRetryConfigurator retry)
    {
        retry.Handle<ConcurrencyException>();
        retry.Handle<DbUpdateConcurrencyException>();
        retry.Handle<DbUpdateException>(IsTransient);
        retry.Handle<PostgresException>(IsTransient);
        retry.Handle<SqliteException>(IsTransient);
        return retry;
    }

    /// <summary>A duplicate primary or unique key (PostgreSQL 23505, SQLite constraint PRIMARYKEY/UNIQUE).</summary>
    public static bool IsUniqueViolation(Exception exception) =>
        Find<PostgresException>(exception) is { SqlState: PostgresErrorCodes.UniqueViolation }
        || Find<SqliteException>(exception) is { SqliteErrorCode: SqliteConstraint, SqliteExtendedErrorCode: SqliteConstraintPrimaryKey or SqliteConstraintUnique };

    /// <summary>The database refused for now; the same message may well succeed on the next attempt.</summary>
    public static bool IsTransient(Exception exception) =>
        Find<PostgresException>(exception)?.SqlState is PostgresErrorCodes.SerializationFailure
            or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.LockNotAvailable
        || Find<SqliteException>(exception)?.SqliteErrorCode is SqliteBusy or SqliteLocked;

    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int SqliteConstraintUnique = 2067;

    private static T? Find<T>(Exception? exception) where T : Exception
    {
        for (; exception is not null; exception = exception.InnerException)
            if (exception is T match) return match;
        return null;
    }
}
