using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using NasSav.Database;
using NasSav.ServiceDefaults.Bus;
using Npgsql;

namespace NasSav.ServiceDefaults.Tests.Bus;

/// <summary>
/// What the bus-wide retry and the 503 answer count as an outage. These defaults reference no database driver: PostgreSQL
/// is read through ADO.NET's DbException (SQLSTATE, IsTransient), SQLite's busy and locked come from NasSav.Database.
/// </summary>
public sealed class TransientErrorsTests
{
    private static PostgresException Postgres(string sqlState) => new("server says so", "ERROR", "ERROR", sqlState);

    [Theory]
    [InlineData("57P01")] // admin shutdown: a restart
    [InlineData("08006")] // connection failure
    [InlineData("40001")] // serialization failure
    [InlineData("53300")] // too many connections
    public void A_server_that_is_restarting_or_overloaded_is_transient(string sqlState)
    {
        Assert.True(TransientErrors.IsTransient(Postgres(sqlState)));
        Assert.True(TransientErrors.IsTransient(new DbUpdateException("save failed", Postgres(sqlState))));
    }

    [Fact]
    public void A_real_error_of_the_statement_is_not()
    {
        var unique = new PostgresException("duplicate key", "ERROR", "ERROR", "23505");
        Assert.False(TransientErrors.IsTransient(new DbUpdateException("save failed", unique)));
        Assert.False(TransientErrors.IsTransient(new InvalidOperationException("a bug", unique)));
    }

    [Fact]
    public void A_connection_the_driver_could_not_open_is_transient()
    {
        Assert.True(TransientErrors.IsTransient(new NpgsqlException("Exception while reading from stream", new EndOfStreamException())));
        Assert.True(TransientErrors.IsTransient(new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused))));
        Assert.False(TransientErrors.IsTransient(new NpgsqlException("bad parameter")));
    }

    [Fact]
    public void Sqlite_busy_and_locked_are_transient_once_a_database_is_registered()
    {
        DatabaseRegistration.SqliteConnectionString(new() { ConnectionString = "Data Source=x.db" }, new());
        Assert.True(TransientErrors.IsTransient(new SqliteException("database is locked", 5, 5)));
        Assert.True(TransientErrors.IsTransient(new DbUpdateException("save failed", new SqliteException("table is locked", 6, 6))));
        Assert.False(TransientErrors.IsTransient(new SqliteException("UNIQUE constraint failed", 19, 2067)));
    }
}
