using Microsoft.EntityFrameworkCore;
using NasSav.Catalog.Data;
using NasSav.ServiceDefaults.Configuration;
using NasSav.Database;
using NasSav.Testing;

namespace NasSav.Catalog.Tests.Data;

/// <summary>
/// An empty catalog database outside any host (SQLite in a temporary folder, or a fresh PostgreSQL
/// database) configured exactly as the hosts configure it, for migrating step by step.
/// </summary>
public sealed class ScratchDatabase : IAsyncDisposable
{
    private readonly string _root;
    private readonly PostgresDatabase? _postgres;

    public DbContextOptions<CatalogDbContext> Options { get; }

    private ScratchDatabase(string root, PostgresDatabase? postgres, DbContextOptions<CatalogDbContext> options)
    {
        _root = root;
        _postgres = postgres;
        Options = options;
    }

    public static async Task<ScratchDatabase> CreateAsync(DbKind kind)
    {
        var root = Directory.CreateTempSubdirectory("nassav-migrate-").FullName;
        var pg = kind == DbKind.Postgres ? await PostgresDatabase.CreateAsync() : null;
        var builder = new DbContextOptionsBuilder<CatalogDbContext>();
        DatabaseRegistration.Configure(builder,
            new DatabaseOptions { Provider = kind == DbKind.Postgres ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite, ConnectionString = pg?.ConnectionString },
            new DataOptions { Root = root });
        return new ScratchDatabase(root, pg, builder.Options);
    }

    public async ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
        if (_postgres is not null) await _postgres.DisposeAsync();
    }
}
