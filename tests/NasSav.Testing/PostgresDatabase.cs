using Npgsql;

namespace NasSav.Testing;

/// <summary>A fresh, uniquely named database on the test PostgreSQL server, dropped on dispose.</summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private readonly string _admin;
    public string Name { get; }
    public string ConnectionString { get; }

    private PostgresDatabase(string admin, string name)
    {
        _admin = admin;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = false }.ToString();
    }

    public static async Task<PostgresDatabase> CreateAsync()
    {
        var admin = await LocalServers.PostgresAsync();
        var name = "nassav_test_" + Guid.NewGuid().ToString("N")[..12];
        await using var conn = new NpgsqlConnection(admin);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
        await cmd.ExecuteNonQueryAsync();
        return new PostgresDatabase(admin, name);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(_admin);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
