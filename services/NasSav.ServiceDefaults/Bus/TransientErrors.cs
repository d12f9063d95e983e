using System.Data.Common;
using System.Net.Sockets;
using MassTransit;
using StackExchange.Redis;

namespace NasSav.ServiceDefaults.Bus;

/// <summary>
/// Failures of the infrastructure rather than of the message: the database or the broker is restarting, unreachable
/// or asked us to back off. The same message succeeds once it is back, so these are retried with backoff on every
/// endpoint (<see cref="BusRetryOptions"/>) instead of faulting to an _error queue, and an HTTP request that meets
/// one is answered 503 instead of 500. Database errors are read through ADO.NET's <see cref="DbException"/>, so these
/// defaults carry no database driver: PostgreSQL's SQLSTATE and Npgsql's <see cref="DbException.IsTransient"/> are
/// there; what a driver does not say that way (SQLite's busy and locked) its library adds with <see cref="Add"/>.
/// </summary>
public static class TransientErrors
{
    private static Func<Exception, bool>[] _rules = [];

    /// <summary>A rule for exceptions of a driver these defaults do not reference (NasSav.Database adds SQLite's). Idempotent.</summary>
    public static void Add(Func<Exception, bool> rule)
    {
        Func<Exception, bool>[] rules, added;
        do
        {
            rules = Volatile.Read(ref _rules);
            if (rules.Contains(rule)) return;
            added = [.. rules, rule];
        } while (Interlocked.CompareExchange(ref _rules, added, rules) != rules);
    }

    public static bool IsTransient(Exception exception)
    {
        var rules = Volatile.Read(ref _rules);
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case DbException { SqlState: { } state }: // PostgreSQL's server errors (Npgsql's PostgresException)
                    return IsTransientSqlState(state); // false: a real error of the statement (constraint, syntax), retrying changes nothing
                case DbException db when db.IsTransient || db.InnerException is SocketException or IOException or TimeoutException:
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
            foreach (var rule in rules)
                if (rule(e)) return true;
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
