using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NasSav.Sagas.Tests.TestSaga;
using NasSav.Testing;

namespace NasSav.Sagas.Tests;

/// <summary>
/// The test DbContext's database for one store: a throw-away SQLite file or a fresh PostgreSQL database. Owned by a
/// <see cref="SagaHost"/>, or by the test when two hosts use it one after the other (a restart).
/// </summary>
public sealed class SagaDatabase : IAsyncDisposable
{
    private readonly PostgresDatabase? _postgres;
    private readonly string? _folder;
    private readonly string _connection;

    private SagaDatabase(SagaStore store, PostgresDatabase? postgres, string? folder, string connection)
    {
        Store = store;
        _postgres = postgres;
        _folder = folder;
        _connection = connection;
    }

    public SagaStore Store { get; }

    public static async Task<SagaDatabase> CreateAsync(SagaStore store)
    {
        if (store == SagaStore.Postgres)
        {
            var postgres = await PostgresDatabase.CreateAsync();
            return new SagaDatabase(store, postgres, null, postgres.ConnectionString);
        }
        var folder = Path.Combine(Path.GetTempPath(), "nassav-sagas-" + Guid.NewGuid().ToString("N")[..12]);
        var connection = new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "sagas.db"), DefaultTimeout = 30, Pooling = true }.ToString();
        return new SagaDatabase(store, null, folder, connection);
    }

    public void Register(IServiceCollection services)
    {
        var connection = _connection;
        if (_postgres is not null) services.AddDbContext<SagaTestDbContext>(o => o.UseNpgsql(connection));
        else services.AddDbContext<SagaTestDbContext>(o => o.UseSqlite(connection));
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null) await _postgres.DisposeAsync();
        if (_folder is not null)
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
        }
    }
}
