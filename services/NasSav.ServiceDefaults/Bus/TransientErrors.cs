using System.Net.Sockets;
using MassTransit;
using Microsoft.Data.Sqlite;
using Npgsql;
using StackExchange.Redis;

namespace NasSav.ServiceDefaults.Bus;

/// <summary>
/// Failures of the infrastructure rather than of the message: the database or the broker is restarting, unreachable
/// or asked us to back off. The same message succeeds once it is back, so these are retried with backoff on every
/// endpoint (<see cref="BusRetryOptions"/>) instead of faulting to an _error queue, and an HTTP request that meets
/// one is answered 503 instead of 500.
/// </summary>
public static class TransientErrors
{
    public static bool IsTransient(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException pg when IsTransientSqlState(pg.SqlState):
                    return true;
                case PostgresException:
                    return false; // a real error of the statement (constraint, syntax): retrying changes nothing
                case NpgsqlException npgsql when npgsql.IsTransient || npgsql.InnerException is SocketException or IOException or TimeoutException:
                    return true;
                case SqliteException { SqliteErrorCode: 5 or 6 }: // SQLITE_BUSY, SQLITE_LOCKED
                    return true;
                case RedisConnectionException or RedisTimeoutException:
                    return true;
                case RabbitMqConnectionException or ConnectionException:
                    return true;
                case RabbitMQ.Client.Exceptions.AlreadyClosedException or RabbitMQ.Client.Exceptions.BrokerUnreachableException
                    or RabbitMQ.Client.Exceptions.OperationInterruptedException or RabbitMQ.Client.Exceptions.ConnectFailureException:
                    return true;
                case SocketException or TimeoutException:
                    return true;
            }
        }
        return false;
    }

    /// <summary>
    /// 08 connection exceptions, 40001 serialization failure, 40P01 deadlock, 53 insufficient resources (too many
    /// connections), 55P03 lock not available, 57P01-57P03 the server shutting down or starting up, 58 system errors.
    /// </summary>
    public static bool IsTransientSqlState(string? state) => state is not null
        && (state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("53", StringComparison.Ordinal)
            || state.StartsWith("57P", StringComparison.Ordinal) || state.StartsWith("58", StringComparison.Ordinal)
            || state is "40001" or "40P01" or "55P03");
}
